// The family tables the catalog is made of; catalog.cpp lists them explicitly.
#pragma once

#include <vector>

#include "ops/op_def.h"

namespace ag {

const std::vector<OpDef>& math_ops();
const std::vector<OpDef>& nn_ops();
const std::vector<OpDef>& linalg_ops();
const std::vector<OpDef>& array_ops();
/// Joining, splitting, indexing and contracting arrays (issue 4: array_manipulation_ops.cpp).
const std::vector<OpDef>& array_manipulation_ops();
const std::vector<OpDef>& dtypes_members();
const std::vector<OpDef>& random_ops();
const std::vector<OpDef>& random_candidate_ops();
/// Spec helpers that are not TF names (load); the catalog hides them from module listings.
const std::vector<OpDef>& io_ops();

}  // namespace ag
