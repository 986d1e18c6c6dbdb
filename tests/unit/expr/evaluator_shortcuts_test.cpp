// The evaluator's shortcuts for the commonest expressions of a long chain: an elementwise op of one
// tensor called without binding arguments (OpDef::on_tensor), and a number met by a tensor
// converted once per number and dtype. Both must give what the general path gives, bit for bit,
// and raise the same errors.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../support.h"
#include "diag/error.h"
#include "expr/ast.h"
#include "expr/evaluator.h"
#include "ops/call_args.h"
#include "ops/catalog.h"

namespace ag {
namespace {

using testing::Bindings;
using testing::evaluate;
using testing::evaluate_tensor;
using testing::tensor_of;

/// The values' bytes, so that NaNs of one pattern compare equal and -0.0 differs from 0.0.
std::vector<unsigned char> bytes_of(const Tensor& t) {
  const std::size_t n = static_cast<std::size_t>(t.size()) * storage_element_size(t.dtype());
  const auto* p = static_cast<const unsigned char*>(t.raw());
  return std::vector<unsigned char>(p, p + n);
}

/// What evaluating `expression` gives: its tensor, or the text of the error it raised.
struct Outcome {
  bool ok = false;
  Tensor tensor;
  std::string error;
};

Outcome outcome_of(const std::string& expression, const Bindings& names) {
  Outcome result;
  try {
    result.tensor = evaluate_tensor(expression, names);
    result.ok = true;
  } catch (const UserError& error) {
    result.error = error.what();
  }
  return result;
}

TEST_CASE("every row with a one-tensor shortcut takes (x, name=None) and computes what binding x computes") {
  int rows = 0;
  for (const OpDef* op : catalog()) {
    if (op->on_tensor == nullptr) continue;
    ++rows;
    const std::string name(op->path);
    CAPTURE(name);
    REQUIRE(op->kind == MemberKind::kOp);
    const Signature& signature = signature_of(*op);
    CHECK(signature.params == std::vector<std::string>{"x", "name"});
    CHECK(signature.variadic == -1);
    for (DType dtype : {DType::kFloat32, DType::kFloat64, DType::kInt32}) {
      CAPTURE(dtype_name(dtype));
      const Tensor x = dtype == DType::kInt32 ? tensor_of(dtype, {3}, {-2, 0, 3})
                                              : tensor_of(dtype, {5}, {-1.5, -0.25, 0.0, 0.75, 3.0});
      const Bindings names{{"t", Value::of(x)}};
      // x by keyword goes through binding; x by position takes the shortcut.
      const Outcome bound = outcome_of(name + "(x=t)", names);
      const Outcome direct = outcome_of(name + "(t)", names);
      REQUIRE(bound.ok == direct.ok);
      if (!bound.ok) {
        CHECK(direct.error == bound.error);
        continue;
      }
      CHECK(direct.tensor.dtype() == bound.tensor.dtype());
      CHECK(direct.tensor.shape() == bound.tensor.shape());
      CHECK(bytes_of(direct.tensor) == bytes_of(bound.tensor));
    }
  }
  // sin, cos, exp, log, tanh, ... : the shortcut is not silently lost from the table.
  CHECK(rows >= 30);
}

TEST_CASE("the spec layer's own calls are not elementwise catalog rows, which bypass its hook") {
  // Evaluator::set_call_hook: calls of rows with on_tensor never reach the hook, so none of the
  // names the runner's hook handles may be such a row.
  for (const char* name : {"gradient", "jacobian", "batch_jacobian", "hessian", "jvp", "dir", "print"}) {
    CAPTURE(name);
    const OpDef* op = find_op(name);
    CHECK((op == nullptr || op->on_tensor == nullptr));
  }
}

TEST_CASE("an elementwise call on anything but a tensor, or under a spec name, is not the shortcut") {
  const Tensor x = tensor_of(DType::kFloat32, {2}, {0.5, 1.0});
  // A Python list and a number convert as binding converts them.
  CHECK(testing::doubles(evaluate_tensor("sin([0.5, 1.0])")) == testing::doubles(evaluate_tensor("sin(t)", {{"t", Value::of(x)}})));
  CHECK(evaluate_tensor("exp(1.0)").dtype() == DType::kFloat32);
  // A spec name `sin` hides the catalog's sin.
  const Outcome hidden = outcome_of("sin(t)", {{"sin", Value::of(x)}, {"t", Value::of(x)}});
  CHECK_FALSE(hidden.ok);
  CHECK(hidden.error.find("not callable") != std::string::npos);
  // A wrong number of arguments is binding's error.
  const Outcome two = outcome_of("sin(t, t, t)", {{"t", Value::of(x)}});
  CHECK_FALSE(two.ok);
  CHECK(two.error.find("takes from 1 to 2 positional arguments but 3 were given") != std::string::npos);
}

TEST_CASE("a spec name bound after a call hides the catalog function from the next call") {
  // The evaluator remembers how it resolved the last callee; a new name must undo that.
  Evaluator evaluator;
  evaluator.bind("t", Value::of(tensor_of(DType::kFloat32, {2}, {0.5, 1.0})));
  const expr::NodePtr call = expr::parse_expression("sin(t)");
  CHECK(evaluator.evaluate(*call).kind == ValueKind::kTensor);
  CHECK(evaluator.evaluate(*call).kind == ValueKind::kTensor);
  evaluator.bind("other", Value::of_int(1));  // a new name that hides nothing
  CHECK(evaluator.evaluate(*call).kind == ValueKind::kTensor);
  evaluator.bind("sin", Value::of_int(3));
  try {
    evaluator.evaluate(*call);
    FAIL("sin(t) called the catalog's sin although a spec name sin is bound");
  } catch (const UserError& error) {
    CHECK(std::string(error.what()).find("'int' object is not callable") != std::string::npos);
  }
  // Another callee after it resolves afresh.
  CHECK(evaluator.evaluate(*expr::parse_expression("cos(t)")).kind == ValueKind::kTensor);
}

TEST_CASE("a number met by tensors takes each tensor's dtype, at every use") {
  const Bindings names{{"f", Value::of(tensor_of(DType::kFloat32, {2}, {1.0, 2.0}))},
                       {"d", Value::of(tensor_of(DType::kFloat64, {2}, {1.0, 2.0}))},
                       {"h", Value::of(tensor_of(DType::kFloat16, {2}, {1.0, 2.0}))},
                       {"i", Value::of(tensor_of(DType::kInt32, {2}, {1, 2}))}};
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    CHECK(evaluate_tensor("f * 2.5", names).dtype() == DType::kFloat32);
    CHECK(evaluate_tensor("d * 2.5", names).dtype() == DType::kFloat64);
    CHECK(evaluate_tensor("2.5 * h", names).dtype() == DType::kFloat16);
    CHECK(testing::doubles(evaluate_tensor("d * 0.1", names)) == std::vector<double>{0.1, 0.2});
    CHECK(testing::doubles(evaluate_tensor("f * 0.1", names)) ==
          std::vector<double>{static_cast<double>(0.1f), static_cast<double>(2.0f * 0.1f)});
    // 2 and 2.0 are different Python values: the int meets the int tensor, the float the float one.
    CHECK(evaluate_tensor("i * 2", names).dtype() == DType::kInt32);
    CHECK(evaluate_tensor("f * 2", names).dtype() == DType::kFloat32);
    // A conversion that fails is not kept: it fails again, with the same text.
    const Outcome fractional = outcome_of("i * 2.5", names);
    CHECK_FALSE(fractional.ok);
    CHECK(fractional.error == "Cannot convert 2.5 to EagerTensor of dtype int32");
  }
  // Each result is its own tensor; the shared constant is never overwritten by an op.
  const Tensor first = evaluate_tensor("f * 3.0 + 3.0", names);
  const Tensor second = evaluate_tensor("f * 3.0 + 3.0", names);
  CHECK(first.id() != second.id());
  CHECK(testing::doubles(second) == std::vector<double>{6.0, 9.0});
}

}  // namespace
}  // namespace ag
