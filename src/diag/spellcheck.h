// "Did you mean" suggestions for misspelt names.
#pragma once

#include <string>
#include <vector>

namespace ag {

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
/// " (did you mean 'x'?)" or empty.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace ag
