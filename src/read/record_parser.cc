// Extracts id, text and date from one JSONL line (simdjson On Demand) or one
// text file. Invalid UTF-8 is repaired to U+FFFD and the record kept.
#include <simdjson.h>
#include <utf8proc.h>

#include <cstring>

#include "doppel/read.h"

namespace doppel {

const char* ParseErrorKind(ParseError e) {
  switch (e) {
    case ParseError::kNone: return "ok";
    case ParseError::kMalformedJson: return "malformed_json";
    case ParseError::kNotAnObject: return "not_an_object";
    case ParseError::kMissingText: return "missing_text";
    case ParseError::kTextNotString: return "text_not_string";
    case ParseError::kBinary: return "binary_file";
  }
  return "unknown";
}

bool RepairUtf8(std::string_view in, std::string* out) {
  if (simdjson::validate_utf8(in.data(), in.size())) {
    out->assign(in);
    return false;
  }
  out->clear();
  out->reserve(in.size() + 16);
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(in.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) {
      out->append("\xEF\xBF\xBD");
      n = 1;
    } else {
      out->append(reinterpret_cast<const char*>(p), n);
    }
    p += n;
    left -= n;
  }
  return true;
}

struct RecordParser::Impl {
  std::string text_field, id_field, date_field;
  // The DOM parser dispatches at run time to the best SIMD kernel for this
  // CPU (On Demand would be fixed at compile time to the portable baseline).
  simdjson::dom::parser parser;
  std::string repaired;  // padded copy of a line whose UTF-8 was invalid
};

RecordParser::RecordParser(std::string text_field, std::string id_field, std::string date_field)
    : impl_(new Impl{std::move(text_field), std::move(id_field), std::move(date_field), simdjson::dom::parser(), {}}) {}
RecordParser::~RecordParser() = default;
RecordParser::RecordParser(RecordParser&&) noexcept = default;
RecordParser& RecordParser::operator=(RecordParser&&) noexcept = default;

namespace {

// Reads a scalar field (string or number) as text.
bool ScalarToString(simdjson::dom::element v, std::string* out) {
  switch (v.type()) {
    case simdjson::dom::element_type::STRING: out->assign(v.get_string().value_unsafe()); return true;
    case simdjson::dom::element_type::INT64: *out = std::to_string(v.get_int64().value_unsafe()); return true;
    case simdjson::dom::element_type::UINT64: *out = std::to_string(v.get_uint64().value_unsafe()); return true;
    case simdjson::dom::element_type::DOUBLE: *out = simdjson::to_string(v); return true;
    default: return false;
  }
}

}  // namespace

ParseError RecordParser::Parse(const RawRecord& rec, InputKind kind, ParsedDoc* out, std::string* detail) {
  out->id.clear();
  out->text.clear();
  out->has_date = out->repaired_utf8 = out->bad_date = false;
  out->date_ms = 0;
  if (kind == InputKind::kText) {
    if (std::memchr(rec.bytes.data(), '\0', rec.bytes.size())) {
      *detail = "binary file (it holds NUL bytes; UTF-16 text too)";
      return ParseError::kBinary;
    }
    out->repaired_utf8 = RepairUtf8(rec.bytes, &out->text);
    return ParseError::kNone;
  }
  std::string_view line = rec.bytes;
  if (!simdjson::validate_utf8(line.data(), line.size())) {
    RepairUtf8(line, &impl_->repaired);
    out->repaired_utf8 = true;
    impl_->repaired.append(simdjson::SIMDJSON_PADDING, ' ');
    line = std::string_view(impl_->repaired.data(), impl_->repaired.size() - simdjson::SIMDJSON_PADDING);
  }
  simdjson::dom::element doc;
  if (auto err = impl_->parser.parse(line.data(), line.size(), false).get(doc)) {
    *detail = simdjson::error_message(err);
    return ParseError::kMalformedJson;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) {
    *detail = "the line is JSON but not an object";
    return ParseError::kNotAnObject;
  }
  bool have_text = false;
  std::string date;
  bool have_date = false;
  for (auto [key, v] : obj) {
    if (key == impl_->text_field) {
      if (!v.is_string()) {
        *detail = "field '" + impl_->text_field + "' is not a string";
        return ParseError::kTextNotString;
      }
      out->text.assign(v.get_string().value_unsafe());
      have_text = true;
    } else if (key == impl_->id_field) {
      ScalarToString(v, &out->id);
    } else if (key == impl_->date_field) {
      have_date = ScalarToString(v, &date);
    }
  }
  if (!have_text) {
    *detail = "no field '" + impl_->text_field + "'";
    return ParseError::kMissingText;
  }
  if (have_date && !date.empty()) {
    out->has_date = ParseIsoDate(date, &out->date_ms);
    out->bad_date = !out->has_date;
  }
  return ParseError::kNone;
}

namespace {

int Digits(std::string_view s, size_t pos, size_t n, bool* ok) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (pos + i >= s.size() || s[pos + i] < '0' || s[pos + i] > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (s[pos + i] - '0');
  }
  return v;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

bool ParseIsoDate(std::string_view s, int64_t* ms) {
  bool ok = true;
  int y = Digits(s, 0, 4, &ok);
  if (!ok || s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  int mo = Digits(s, 5, 2, &ok), d = Digits(s, 8, 2, &ok);
  if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  int64_t t = DaysFromCivil(y, mo, d) * 86400000LL;
  size_t p = 10;
  if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
    int h = Digits(s, p + 1, 2, &ok);
    if (!ok || p + 3 >= s.size() + 0 || s[p + 3] != ':') return false;
    int mi = Digits(s, p + 4, 2, &ok);
    if (!ok || h > 24 || mi > 59) return false;
    t += (h * 3600LL + mi * 60LL) * 1000;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      int sec = Digits(s, p + 1, 2, &ok);
      if (!ok || sec > 60) return false;
      t += sec * 1000LL;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        int scale = 100, frac = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          frac += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
        t += frac;
      }
    }
    if (p < s.size() && s[p] == 'Z') {
      ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int sign = s[p] == '+' ? 1 : -1;
      int oh = Digits(s, p + 1, 2, &ok);
      size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      int om = Digits(s, q, 2, &ok);
      if (!ok) return false;
      t -= sign * (oh * 3600LL + om * 60LL) * 1000;
      p = q + 2;
    }
  }
  if (p != s.size()) return false;
  *ms = t;
  return true;
}

}  // namespace doppel
