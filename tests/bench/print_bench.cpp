// Formatting cost of the printer (issue: printing must not grow with the elements that
// summarisation hides). Run by hand: build target `print_bench`, then ./print_bench.
// Prints the median time per repr+str for a summarised 1000x1000 float32 tensor and for a
// 1000-element float32 and float64 tensor printed in full.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "format/numpy_repr.h"

namespace {

template <class T>
ag::Tensor make(ag::DType dtype, ag::Shape shape) {
  ag::Tensor t = ag::Tensor::allocate(dtype, shape);
  T* data = t.mutable_data<T>();
  for (std::int64_t i = 0; i < t.size(); ++i) data[i] = static_cast<T>(std::sin(0.37 * static_cast<double>(i)) * 123.456);
  return t;
}

double median_microseconds(const ag::Tensor& t, int runs) {
  std::vector<double> times;
  std::size_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    sink += ag::format::tensor_repr(t).size() + ag::format::tensor_str(t).size();
    times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  if (sink == 0) std::puts("");
  return times[times.size() / 2];
}

}  // namespace

int main() {
  struct Case {
    const char* what;
    ag::Tensor tensor;
  };
  std::vector<Case> cases = {
      {"1000x1000 float32 (summarised)", make<float>(ag::DType::kFloat32, {1000, 1000})},
      {"1000 float32 (in full)", make<float>(ag::DType::kFloat32, {1000})},
      {"1000 float64 (in full)", make<double>(ag::DType::kFloat64, {1000})},
      {"4000x4000 float32 (summarised)", make<float>(ag::DType::kFloat32, {4000, 4000})},
  };
  std::printf("%-34s %14s\n", "tensor", "repr+str (us)");
  for (const Case& c : cases) std::printf("%-34s %14.1f\n", c.what, median_microseconds(c.tensor, 51));
  return 0;
}
