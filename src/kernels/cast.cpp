// Element conversion between any two numeric dtypes (TF's Cast), per the rules in convert.h.
#include "kernels/convert.h"
#include "kernels/kernels.h"

namespace ag::kernels {

Tensor cast(const Tensor& x, DType dtype) {
  require_dtype("cast", x.dtype(), kAllSet);
  require_dtype("cast", dtype, kAllSet);
  if (x.dtype() == dtype) return x.reshaped(x.shape());
  Tensor out = Tensor::allocate(dtype, x.shape());
  visit_dtype(x.dtype(), [&](auto from) {
    using FromTr = decltype(from);
    visit_dtype(dtype, [&](auto to) {
      using ToTr = decltype(to);
      const typename FromTr::Storage* in = x.data<typename FromTr::Storage>();
      typename ToTr::Storage* result = out.mutable_data<typename ToTr::Storage>();
      for (std::int64_t i = 0; i < x.size(); ++i) result[i] = convert_element<ToTr, FromTr>(FromTr::load(in[i]));
    });
  });
  return out;
}

}  // namespace ag::kernels
