// Matrix products over the last two axes with broadcast batch axes. float32/float64 and complex
// go to OpenBLAS gemm with the transposes passed as flags; float16/bfloat16 go through float;
// integers use a plain loop (BLAS has no integer gemm).
#include <cblas.h>

#include <complex>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "kernels/blas_kernels.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/strided_loop.h"

namespace ag::kernels {
namespace {

/// One batch of products: C[m,n] = op(A) op(B), with A stored [m,k] or, transposed, [k,m].
struct GemmShape {
  std::int64_t m, n, k;
  bool transpose_a, transpose_b;
};

CBLAS_TRANSPOSE flag(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }
// Leading dimensions are the stored row lengths; BLAS requires them to be at least 1.
blasint lda(const GemmShape& g) { return static_cast<blasint>(std::max<std::int64_t>(1, g.transpose_a ? g.m : g.k)); }
blasint ldb(const GemmShape& g) { return static_cast<blasint>(std::max<std::int64_t>(1, g.transpose_b ? g.k : g.n)); }
blasint ldc(const GemmShape& g) { return static_cast<blasint>(std::max<std::int64_t>(1, g.n)); }

/// A product with one output column is a matrix-vector product: sgemv reads A once, where sgemm
/// would first pack it into blocks (the hessian's 200 sweeps spent most of their time there).
/// B is then one contiguous column whether transposed or not.
bool gemv(const GemmShape& g, const float* a, const float* b, float* c) {
  if (g.n != 1) return false;
  const blasint rows = static_cast<blasint>(g.transpose_a ? g.k : g.m);
  const blasint cols = static_cast<blasint>(g.transpose_a ? g.m : g.k);
  // OpenBLAS threads a product from 9,216 elements of A on; below kThreadedGemvMin waking its
  // worker (which then spins) costs more than the product, so such calls run on this thread.
  constexpr std::int64_t kThreadedGemvMin = std::int64_t{1} << 18;
  const int threads = g.m * g.k < kThreadedGemvMin ? openblas_get_num_threads() : 1;
  if (threads > 1) openblas_set_num_threads(1);
  FastKernelScope fast(g.m * g.k, kFastGemvMinMacs);
  cblas_sgemv(CblasRowMajor, flag(g.transpose_a), rows, cols, 1.0f, a, lda(g), b, 1, 0.0f, c, 1);
  if (threads > 1) openblas_set_num_threads(threads);
  return true;
}

void gemm(const GemmShape& g, const float* a, const float* b, float* c) {
  if (gemv(g, a, b, c)) return;
  FastKernelScope fast(g.m * g.n * g.k);
  cblas_sgemm(CblasRowMajor, flag(g.transpose_a), flag(g.transpose_b), static_cast<blasint>(g.m),
              static_cast<blasint>(g.n), static_cast<blasint>(g.k), 1.0f, a, lda(g), b, ldb(g), 0.0f, c, ldc(g));
}
void gemm(const GemmShape& g, const double* a, const double* b, double* c) {
  FastKernelScope fast(g.m * g.n * g.k);
  cblas_dgemm(CblasRowMajor, flag(g.transpose_a), flag(g.transpose_b), static_cast<blasint>(g.m),
              static_cast<blasint>(g.n), static_cast<blasint>(g.k), 1.0, a, lda(g), b, ldb(g), 0.0, c, ldc(g));
}
void gemm(const GemmShape& g, const std::complex<float>* a, const std::complex<float>* b, std::complex<float>* c) {
  const std::complex<float> one(1.0f, 0.0f), zero(0.0f, 0.0f);
  // OpenBLAS takes complex scalars and arrays as untyped pointers (interleaved re, im).
  cblas_cgemm(CblasRowMajor, flag(g.transpose_a), flag(g.transpose_b), static_cast<blasint>(g.m),
              static_cast<blasint>(g.n), static_cast<blasint>(g.k), &one, a, lda(g), b, ldb(g), &zero, c, ldc(g));
}
void gemm(const GemmShape& g, const std::complex<double>* a, const std::complex<double>* b, std::complex<double>* c) {
  const std::complex<double> one(1.0, 0.0), zero(0.0, 0.0);
  cblas_zgemm(CblasRowMajor, flag(g.transpose_a), flag(g.transpose_b), static_cast<blasint>(g.m),
              static_cast<blasint>(g.n), static_cast<blasint>(g.k), &one, a, lda(g), b, ldb(g), &zero, c, ldc(g));
}

/// Integer product with wrapping arithmetic; i-p-j order keeps the inner loop contiguous in B
/// and C when B is not transposed.
template <class T>
void gemm_loop(const GemmShape& g, const T* a, const T* b, T* c) {
  std::fill(c, c + g.m * g.n, T(0));
  for (std::int64_t i = 0; i < g.m; ++i) {
    T* row = c + i * g.n;
    for (std::int64_t p = 0; p < g.k; ++p) {
      const T av = g.transpose_a ? a[p * g.m + i] : a[i * g.k + p];
      if (g.transpose_b) {
        for (std::int64_t j = 0; j < g.n; ++j) row[j] = wrap_add(row[j], wrap_mul(av, b[j * g.k + p]));
      } else {
        const T* brow = b + p * g.n;
        for (std::int64_t j = 0; j < g.n; ++j) row[j] = wrap_add(row[j], wrap_mul(av, brow[j]));
      }
    }
  }
}

/// Runs `product(a_offset, b_offset, c_offset)` for every batch of the broadcast batch shape.
template <class F>
void for_each_batch(const Shape& a_batch, const Shape& b_batch, const Shape& batch, std::int64_t a_matrix,
                    std::int64_t b_matrix, std::int64_t c_matrix, F product) {
  std::vector<std::int64_t> a_strides = broadcast_strides(a_batch, batch);
  std::vector<std::int64_t> b_strides = broadcast_strides(b_batch, batch);
  for (std::int64_t& s : a_strides) s *= a_matrix;
  for (std::int64_t& s : b_strides) s *= b_matrix;
  std::vector<std::int64_t> c_strides = shape_strides(batch);
  for (std::int64_t& s : c_strides) s *= c_matrix;
  StridedSpace<3> space = make_strided_space<3>(batch, {c_strides, a_strides, b_strides});
  for_each_run(space, [&](const std::array<std::int64_t, 3>& at, std::int64_t length,
                          const std::array<std::int64_t, 3>& step) {
    for (std::int64_t i = 0; i < length; ++i) product(at[1] + i * step[1], at[2] + i * step[2], at[0] + i * step[0]);
  });
}

template <class Tr>
void matmul_typed(const Tensor& a, const Tensor& b, Tensor& out, const GemmShape& g, const Shape& a_batch,
                  const Shape& b_batch, const Shape& batch) {
  using S = typename Tr::Storage;
  const std::int64_t a_matrix = g.m * g.k, b_matrix = g.k * g.n, c_matrix = g.m * g.n;
  if constexpr (Tr::kind == Kind::kHalf) {
    // Widen both operands to float once, multiply with sgemm, round each result once.
    Tensor a32 = cast(a, DType::kFloat32), b32 = cast(b, DType::kFloat32);
    std::unique_ptr<float[]> c32(new float[static_cast<std::size_t>(std::max<std::int64_t>(1, out.size()))]);
    const float* pa = a32.data<float>();
    const float* pb = b32.data<float>();
    for_each_batch(a_batch, b_batch, batch, a_matrix, b_matrix, c_matrix,
                   [&](std::int64_t ao, std::int64_t bo, std::int64_t co) { gemm(g, pa + ao, pb + bo, c32.get() + co); });
    S* po = out.mutable_data<S>();
    for (std::int64_t i = 0; i < out.size(); ++i) po[i] = Tr::store(c32[i]);
  } else if constexpr (Tr::kind == Kind::kFloat || Tr::kind == Kind::kComplex || is_int_v<Tr>) {
    const S* pa = a.data<S>();
    const S* pb = b.data<S>();
    S* pc = out.mutable_data<S>();
    // A batch of A against a single B with A not transposed is one tall product: [batch*m, k] x [k, n].
    if (!g.transpose_a && shape_size(b_batch) == 1 && shape_size(a_batch) == shape_size(batch)) {
      GemmShape tall = g;
      tall.m = g.m * shape_size(batch);
      if constexpr (is_int_v<Tr>) {
        gemm_loop(tall, pa, pb, pc);
      } else {
        gemm(tall, pa, pb, pc);
      }
      return;
    }
    for_each_batch(a_batch, b_batch, batch, a_matrix, b_matrix, c_matrix,
                   [&](std::int64_t ao, std::int64_t bo, std::int64_t co) {
                     if constexpr (is_int_v<Tr>) {
                       gemm_loop(g, pa + ao, pb + bo, pc + co);
                     } else {
                       gemm(g, pa + ao, pb + bo, pc + co);
                     }
                   });
  } else {
    unreachable_dtype("matmul", Tr::dtype);
  }
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  require_same_dtype("matmul", a.dtype(), b.dtype());
  require_dtype("matmul", a.dtype(), kNumberSet);
  if (a.rank() < 2)
    throw UserError(ExitCode::kEval, "In[0] is not a matrix. Instead it has shape " + tf_shape_str(a.shape()));
  if (b.rank() < 2)
    throw UserError(ExitCode::kEval, "In[1] is not a matrix. Instead it has shape " + tf_shape_str(b.shape()));
  const Shape& sa = a.shape();
  const Shape& sb = b.shape();
  const std::size_t ra = sa.size(), rb = sb.size();
  GemmShape g;
  g.transpose_a = transpose_a;
  g.transpose_b = transpose_b;
  g.m = transpose_a ? sa[ra - 1] : sa[ra - 2];
  g.k = transpose_a ? sa[ra - 2] : sa[ra - 1];
  const std::int64_t k_b = transpose_b ? sb[rb - 1] : sb[rb - 2];
  g.n = transpose_b ? sb[rb - 2] : sb[rb - 1];
  if (g.k != k_b)
    throw UserError(ExitCode::kEval,
                    "Matrix size-incompatible: In[0]: " + tf_shape_str(sa) + ", In[1]: " + tf_shape_str(sb));
  Shape a_batch(sa.begin(), sa.end() - 2), b_batch(sb.begin(), sb.end() - 2);
  Shape batch;
  try {
    batch = broadcast_shapes(a_batch, b_batch);
  } catch (const UserError&) {
    throw UserError(ExitCode::kEval, "In[0] and In[1] must have compatible batch dimensions: " + tf_shape_str(sa) +
                                         " vs. " + tf_shape_str(sb));
  }
  Shape out_shape = batch;
  out_shape.push_back(g.m);
  out_shape.push_back(g.n);
  Tensor out = Tensor::allocate(a.dtype(), out_shape);
  if (out.size() == 0) return out;
  // BLAS takes int dimensions (OpenBLAS's default 32-bit interface).
  constexpr std::int64_t kBlasMax = std::numeric_limits<blasint>::max();
  if (a.size() > kBlasMax || b.size() > kBlasMax || out.size() > kBlasMax)
    throw UserError(ExitCode::kEval, "matmul: operands of shapes " + tf_shape_str(sa) + " and " + tf_shape_str(sb) +
                                         " are too large for BLAS");
  if (g.k == 0) {  // an empty sum: all zeros (the all-zero bit pattern in every dtype)
    std::memset(out.raw_mutable(), 0, static_cast<std::size_t>(out.size()) * storage_element_size(a.dtype()));
    return out;
  }
  visit_dtype(a.dtype(), [&](auto traits) { matmul_typed<decltype(traits)>(a, b, out, g, a_batch, b_batch, batch); });
  return out;
}

}  // namespace ag::kernels
