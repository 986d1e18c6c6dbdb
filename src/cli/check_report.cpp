// Text, JSON and JUnit renderings of check's results.
#include "cli/check_report.h"

#include <cstdio>
#include <cstring>

#include "format/json_lines.h"

namespace ag::cli {
namespace {

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kCyan = "\033[36m";

std::string color_diff(const std::string& diff) {
  std::string out;
  std::size_t start = 0;
  while (start < diff.size()) {
    std::size_t end = diff.find('\n', start);
    if (end == std::string::npos) end = diff.size();
    std::string line = diff.substr(start, end - start);
    const char* color = nullptr;
    if (line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0) color = kBold;
    else if (line.rfind("@@", 0) == 0) color = kCyan;
    else if (!line.empty() && line[0] == '-') color = kRed;
    else if (!line.empty() && line[0] == '+') color = kGreen;
    out += color ? std::string(color) + line + kReset : line;
    out += '\n';
    start = end + 1;
  }
  return out;
}

const char* status_name(SpecStatus status) {
  switch (status) {
    case SpecStatus::kPassed: return "passed";
    case SpecStatus::kUpdated: return "updated";
    case SpecStatus::kFailed: break;
  }
  return "failed";
}

std::string xml_escape(const std::string& text, bool attribute) {
  std::string out;
  for (char ch : text) {
    unsigned char byte = static_cast<unsigned char>(ch);
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (attribute && ch == '"') out += "&quot;";
    else if (attribute && ch == '\n') out += "&#10;";
    else if (byte < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') out += "?";  // not allowed in XML 1.0
    else out += ch;
  }
  return out;
}

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

void put_string(std::string& out, const std::string& text) {
  std::uint64_t size = text.size();
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out += text;
}

std::string get_string(const std::string& bytes, std::size_t& pos) {
  std::uint64_t size = 0;
  if (pos + sizeof size > bytes.size()) return "";
  std::memcpy(&size, bytes.data() + pos, sizeof size);
  pos += sizeof size;
  if (size > bytes.size() - pos) size = bytes.size() - pos;
  std::string text = bytes.substr(pos, size);
  pos += size;
  return text;
}

}  // namespace

std::string text_report(const SpecReport& report, bool color) {
  if (report.status == SpecStatus::kPassed) return "";
  if (report.status == SpecStatus::kUpdated)
    return (color ? std::string(kYellow) + "UPDATED" + kReset : std::string("UPDATED")) + " " + report.path + "\n";
  std::string head = color ? std::string(kBold) + kRed + "FAIL" + kReset : "FAIL";
  std::string text = head + " " + report.path;
  if (!report.description.empty()) text += " (" + report.description + ")";
  text += "\n";
  text += color ? color_diff(report.diff) : report.diff;
  return text + report.message;
}

std::string summary_line(int passed, int failed, int skipped, int updated) {
  std::string text = std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
  if (skipped > 0) text += ", " + std::to_string(skipped) + " skipped";
  if (updated > 0) text += ", " + std::to_string(updated) + " updated";
  return text;
}

std::string json_report(const SpecReport& report) {
  auto optional_string = [](const std::string& text) { return text.empty() ? std::string("null") : format::json_string(text); };
  return "{\"path\": " + format::json_string(report.path) + ", \"status\": \"" + status_name(report.status) +
         "\", \"description\": " + optional_string(report.description) + ", \"diff\": " + optional_string(report.diff) +
         ", \"message\": " + optional_string(report.message) + ", \"seconds\": " + seconds_text(report.seconds) + "}";
}

std::string junit_report(const std::vector<SpecReport>& reports, double seconds) {
  int failures = 0;
  for (const SpecReport& report : reports) failures += report.status == SpecStatus::kFailed;
  std::string counts = "tests=\"" + std::to_string(reports.size()) + "\" failures=\"" + std::to_string(failures) +
                       "\" errors=\"0\" skipped=\"0\" time=\"" + seconds_text(seconds) + "\"";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"autograd-cli check\" " + counts + ">\n";
  xml += "  <testsuite name=\"autograd-cli check\" " + counts + ">\n";
  for (const SpecReport& report : reports) {
    // classname is the spec's directory with dots, as JUnit viewers group by package.
    std::string directory = report.path.substr(0, report.path.rfind('/') == std::string::npos ? 0 : report.path.rfind('/'));
    std::string classname = directory.empty() ? "specs" : directory;
    for (char& ch : classname)
      if (ch == '/') ch = '.';
    xml += "    <testcase name=\"" + xml_escape(report.path, true) + "\" classname=\"" + xml_escape(classname, true) +
           "\" file=\"" + xml_escape(report.path, true) + "\" time=\"" + seconds_text(report.seconds) + "\"";
    if (report.status != SpecStatus::kFailed) {
      xml += "/>\n";
      continue;
    }
    std::string first = !report.message.empty() ? report.message.substr(0, report.message.find('\n'))
                                                 : "output differs from the golden file";
    xml += ">\n      <failure message=\"" + xml_escape(first, true) + "\" type=\"mismatch\">" +
           xml_escape(report.diff + report.message, false) + "</failure>\n    </testcase>\n";
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

std::string serialize_report(const SpecReport& report) {
  std::string out;
  put_string(out, report.path);
  put_string(out, std::to_string(static_cast<int>(report.status)));
  put_string(out, report.description);
  put_string(out, report.diff);
  put_string(out, report.message);
  put_string(out, seconds_text(report.seconds));
  return out;
}

SpecReport deserialize_report(const std::string& bytes) {
  SpecReport report;
  std::size_t pos = 0;
  report.path = get_string(bytes, pos);
  report.status = static_cast<SpecStatus>(std::atoi(get_string(bytes, pos).c_str()));
  report.description = get_string(bytes, pos);
  report.diff = get_string(bytes, pos);
  report.message = get_string(bytes, pos);
  report.seconds = std::atof(get_string(bytes, pos).c_str());
  return report;
}

}  // namespace ag::cli
