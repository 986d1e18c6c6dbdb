# AUTOGRAD_SIMD caps the vector width of TF's float element functions; every width must print the
# same digits. A spec of 4,099 float32 and float64 values (whole 16-lane batches, an 8-lane rest,
# a scalar tail) through every function with a wide path, and their gradients, is run with each
# setting and compared with the default run; the golden specs of the element functions must pass
# under each setting too.
source "$(dirname "$0")/lib.sh"

cat >"$SCRATCH/functions.yaml" <<'SPEC'
inputs:
  x: {value: "linspace(-30.0, 30.0, 4099)"}
  d: {value: "linspace(-30.0, 30.0, 4099)", dtype: float64}
operations:
  - f = [exp(x), log(abs(x)), expm1(x), log1p(abs(x)), sin(x * 1000.0), cos(x * 1000.0), tanh(x), sigmoid(x), erf(x), nn.softplus(x), nn.elu(x), nn.selu(x)]
  - g = [exp(d), log(abs(d)), expm1(d), log1p(abs(d)), sigmoid(d), nn.softplus(d), nn.elu(d), nn.selu(d)]
  - s = reduce_sum(sin(x) * exp(cos(x)) * tanh(x))
derivatives:
  - ds = gradient(s, x)
output:
  - f
  - g
  - ds
SPEC

run_tool run --format json "$SCRATCH/functions.yaml"
expect_eq "default: status" 0 "$STATUS"
DEFAULT=$OUT
[ -n "$DEFAULT" ] || fail "default: no output"
for width in sse2 avx2 avx512 unknown; do
  AUTOGRAD_SIMD=$width run_tool run --format json "$SCRATCH/functions.yaml"
  expect_eq "$width: status" 0 "$STATUS"
  [ "$OUT" == "$DEFAULT" ] || fail "$width: output differs from the default width's"
  AUTOGRAD_SIMD=$width run_tool check specs/ops/math specs/tf_docstrings
  expect_eq "$width: golden element-function specs" 0 "$STATUS"
done

finish
