// The `expect` section: named values compared with the spec's literals within a tolerance.
#pragma once

#include <string>
#include <vector>

#include "spec/golden.h"
#include "spec/runner.h"
#include "spec/spec.h"

namespace ag {

/// One message per expectation that does not hold (empty when all hold).
std::vector<std::string> check_expectations(const Spec& spec, const SpecResult& result, const Tolerance& tolerance);

}  // namespace ag
