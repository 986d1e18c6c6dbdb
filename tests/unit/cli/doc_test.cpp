// Tests of `doc`: the traced gradient rule, name resolution, the JSON form, and the registry of
// verified orders, which must say exactly what tests/unit/catalog/gradcheck_test.cpp checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "cli/doc.h"
#include "diag/error.h"
#include "ops/catalog.h"

namespace ag::cli {
namespace {

std::vector<std::string> rule_of(const std::string& path) {
  const OpDef* op = find_op(path);
  REQUIRE(op != nullptr);
  TracedRule rule = trace_rule(*op);
  REQUIRE(rule.kind == TracedRule::Kind::kRule);
  return rule.lines;
}

TEST_CASE("doc: the gradient rule is the traced backward pass, in terms of g, the inputs and out") {
  CHECK(rule_of("sin") == std::vector<std::string>{"dx = mul(g, cos(x))"});
  CHECK(rule_of("exp") == std::vector<std::string>{"dx = mul(g, out)"});
  CHECK(rule_of("matmul") == std::vector<std::string>{"da = matmul(g, b, transpose_b=True)", "db = matmul(a, g, transpose_a=True)"});
  // add([1.0, 2.0], 3.0): y was broadcast, so its gradient is summed back to a scalar.
  CHECK(rule_of("add") == std::vector<std::string>{"dx = g", "dy = reshape(sum(g, axis=[0], keepdims=True), [])"});
}

TEST_CASE("doc: a comparison is not differentiable, a dtype constant has no rule") {
  TracedRule equal = trace_rule(*find_op("equal"));
  CHECK(equal.kind == TracedRule::Kind::kNotDifferentiable);
  TracedRule dtype = trace_rule(*find_op("float32"));
  CHECK(dtype.kind == TracedRule::Kind::kNotApplicable);
}

TEST_CASE("doc: every alias, with or without tf., gives the same page") {
  std::string page = render_doc("math.sin", false);
  CHECK(render_doc("sin", false) == page);
  CHECK(render_doc("tf.sin", false) == page);
  CHECK(render_doc("tf.math.sin", false) == page);
  CHECK(page.rfind("tf.math.sin(x, name=None)\nAlso: tf.sin\n", 0) == 0);
  CHECK(page.find("    dx = mul(g, cos(x))\n") != std::string::npos);
  // The example is evaluated when the page is printed.
  CHECK(page.find("    >>> tf.sin([0.0, 1.0])\n    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.        , "
                  "0.84147096], dtype=float32)>\n") != std::string::npos);
}

TEST_CASE("doc: a bare name resolves as in a spec, to the one module member of that name") {
  // tf.log does not exist in TF 2; `log` in a spec is tf.math.log, and so is `doc log`.
  CHECK(render_doc("log", false) == render_doc("math.log", false));
  CHECK(render_doc("l2_loss", false) == render_doc("nn.l2_loss", false));
  // Two paths of one row are one function, not an ambiguity.
  CHECK(render_doc("softplus", false) == render_doc("nn.softplus", false));
}

TEST_CASE("doc: an unknown name is a usage error with a suggestion") {
  try {
    render_doc("tf.matmull", false);
    FAIL("no error");
  } catch (const UserError& error) {
    CHECK(error.code() == ExitCode::kUsage);
    CHECK(std::string(error.what()) == "unknown name 'tf.matmull' (did you mean 'matmul'?)");
  }
}

TEST_CASE("doc: --json is one object on one line") {
  std::string json = render_doc("sin", true);
  CHECK(json.rfind("{\"name\": \"tf.math.sin\", \"aliases\": [\"tf.sin\"], \"kind\": \"op\", ", 0) == 0);
  CHECK(json.find("\"gradient\": {\"status\": \"rule\", \"rule\": [\"dx = mul(g, cos(x))\"]") != std::string::npos);
  CHECK(json.find("\"verified_orders\": [1, 2, 3, 4, 5]") != std::string::npos);
  CHECK(std::count(json.begin(), json.end(), '\n') == 1);
}

TEST_CASE("doc: a module lists its members with one-line summaries") {
  std::string page = render_doc("math", false);
  CHECK(page.rfind("tf.math: ", 0) == 0);
  CHECK(page.find("\n  sin ") != std::string::npos);
  CHECK(page.find("Computes sine of x element-wise.") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// The registry of verified orders against the gradcheck table itself

std::string read_gradcheck() {
  std::ifstream in(std::string(AUTOGRAD_SOURCE_DIR) + "/tests/unit/catalog/gradcheck_test.cpp");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The text between two markers of the file.
std::string section(const std::string& text, const std::string& from, const std::string& to) {
  std::size_t begin = text.find(from);
  REQUIRE(begin != std::string::npos);
  std::size_t end = text.find(to, begin);
  REQUIRE(end != std::string::npos);
  return text.substr(begin, end - begin);
}

std::set<std::string> matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
    found.insert((*it)[1].str());
  return found;
}

std::set<std::string> as_set(const std::vector<std::string>& list) { return {list.begin(), list.end()}; }

/// "add: "a", "b"; remove: "c"" — what turns `listed` into `wanted`.
std::string difference(const std::set<std::string>& listed, const std::set<std::string>& wanted) {
  std::string add, remove;
  for (const std::string& path : wanted)
    if (!listed.count(path)) add += (add.empty() ? "" : ", ") + ("\"" + path + "\"");
  for (const std::string& path : listed)
    if (!wanted.count(path)) remove += (remove.empty() ? "" : ", ") + ("\"" + path + "\"");
  return "add: " + (add.empty() ? "-" : add) + "; remove: " + (remove.empty() ? "-" : remove);
}

TEST_CASE("doc: the verified orders are exactly the rows gradcheck_test.cpp checks") {
  std::string source = read_gradcheck();
  std::string table = section(source, "const std::vector<RowCheck>& row_checks()", "const std::vector<RowCheck>& operator_checks()");
  std::set<std::string> differentiable = matches(table, std::regex(R"re((?:^|[^_])differentiable\("([^"]+)")re"));
  std::set<std::string> not_differentiable = matches(table, std::regex(R"re(not_differentiable\("([^"]+)")re"));
  CHECK_MESSAGE(as_set(gradcheck_differentiable_rows()) == differentiable,
                "tests/unit/catalog/gradcheck_rows.cmake misreads the differentiable(...) rows of gradcheck_test.cpp (reconfigure?): "
                    << difference(as_set(gradcheck_differentiable_rows()), differentiable));
  CHECK_MESSAGE(as_set(gradcheck_not_differentiable_rows()) == not_differentiable,
                "tests/unit/catalog/gradcheck_rows.cmake misreads the not_differentiable(...) rows of gradcheck_test.cpp (reconfigure?): "
                    << difference(as_set(gradcheck_not_differentiable_rows()), not_differentiable));
  // Orders 3 to 5: the closed forms, named by the op their expression calls.
  std::string forms = section(source, "std::vector<ClosedForm> forms = {", "\n  };");
  std::set<std::string> closed;
  for (const std::string& callee : matches(forms, std::regex(R"re(\{"([A-Za-z_.]+)\()re"))) {
    const OpDef* op = find_op(callee);
    REQUIRE_MESSAGE(op != nullptr, callee);
    closed.insert(std::string(op->path));
  }
  CHECK_MESSAGE(as_set(gradcheck_closed_form_rows()) == closed,
                "tests/unit/catalog/gradcheck_rows.cmake misreads the closed forms of gradcheck_test.cpp (reconfigure?): "
                    << difference(as_set(gradcheck_closed_form_rows()), closed));
}

TEST_CASE("doc: the verified orders statement follows the registry") {
  CHECK(verified_orders(*find_op("sin")).orders == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(verified_orders(*find_op("matmul")).orders == std::vector<int>{1, 2});
  CHECK(verified_orders(*find_op("equal")).orders.empty());
  CHECK(verified_orders(*find_op("equal")).text.rfind("no order (not differentiable)", 0) == 0);
}

}  // namespace
}  // namespace ag::cli
