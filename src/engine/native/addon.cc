// N-API entry points of mmae's native kernels. They work in place on an ArrayBuffer the caller
// passes (tfjs-backend-wasm's heap), addressed by byte offsets, so no tensor is copied. Every
// offset and extent is checked against the buffer before any memory is touched.
#include <node_api.h>

#include <cstdint>
#include <string>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

#include "adam.h"
#include "bernoulli-nll.h"
#include "conv2d.h"
#include "dense-grad.h"
#include "gemm.h"
#include "max-pool.h"
#include "poe-sample.h"
#include "reduce-sum.h"
#include "resize.h"
#include "thread-pool.h"
#include "token-nll.h"

namespace {

// Denormal floats cost ~100 cycles per operation on x86. Training produces them (tiny gradients
// squared into Adam's second moment, saturated activations), and one W1 epoch slowed to half
// speed as they spread; TensorFlow runs its CPU kernels with flush-to-zero for the same reason.
// Set for the duration of each call, then the caller's mode is restored.
class FlushDenormals {
 public:
#if defined(__x86_64__) || defined(_M_X64)
  FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~FlushDenormals() { _mm_setcsr(saved_); }

 private:
  static constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;
  unsigned saved_;
#endif
};

constexpr size_t kMaxNumbers = 160;

// One call's arguments: the heap's ArrayBuffer, then `count` numbers (byte offsets, sizes, flags
// and float constants). A failed check throws a RangeError naming the kernel and the argument.
class Call {
 public:
  // count 0: as many numbers as were passed (up to kMaxNumbers); size() says how many.
  Call(napi_env env, napi_callback_info info, const char* kernel, size_t count)
      : env_(env), kernel_(kernel) {
    size_t argc = kMaxNumbers + 1;
    napi_value argv[kMaxNumbers + 1];
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (count == 0) {
      if (argc > kMaxNumbers + 1) {
        fail("takes at most " + std::to_string(kMaxNumbers) + " numbers, got " +
             std::to_string(argc - 1));
        return;
      }
      count = argc == 0 ? 0 : argc - 1;
    }
    count_ = count;
    bool isBuffer = false;
    if (argc == count + 1) napi_is_arraybuffer(env, argv[0], &isBuffer);
    if (!isBuffer || napi_get_arraybuffer_info(env, argv[0], &data_, &length_) != napi_ok) {
      fail("expected the wasm heap's ArrayBuffer and " + std::to_string(count) + " numbers, got " +
           std::to_string(argc) + " arguments");
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      if (napi_get_value_double(env, argv[i + 1], &numbers_[i]) != napi_ok) {
        fail("argument " + std::to_string(i + 1) + " must be a number");
        return;
      }
    }
  }

  bool ok() const { return ok_; }
  size_t size() const { return count_; }
  int64_t integer(size_t i) const { return static_cast<int64_t>(numbers_[i]); }
  float real(size_t i) const { return static_cast<float>(numbers_[i]); }

  // Throws (and returns false) unless `check` holds; `what` says which values are wrong.
  bool require(bool check, const std::string& what) {
    if (!check) fail(what);
    return ok_;
  }

  // True when [offset, offset + count·4) lies inside the heap and is 4-byte aligned.
  bool inside(const char* what, int64_t offset, int64_t count) {
    const bool fits = offset >= 0 && offset % 4 == 0 && count >= 0 &&
                      static_cast<uint64_t>(offset) + static_cast<uint64_t>(count) * 4 <= length_;
    return require(fits, std::string(what) + " at byte " + std::to_string(offset) + " with " +
                             std::to_string(count) + " floats lies outside the " +
                             std::to_string(length_) + "-byte heap");
  }

  template <typename T>
  T* at(int64_t offset) const {
    return reinterpret_cast<T*>(static_cast<char*>(data_) + offset);
  }

 private:
  void fail(const std::string& message) {
    if (!ok_) return;  // the first error is the one thrown
    ok_ = false;
    napi_throw_range_error(env_, nullptr,
                           ("mmae native kernel " + kernel_ + ": " + message).c_str());
  }

  napi_env env_;
  std::string kernel_;
  void* data_ = nullptr;
  size_t length_ = 0;
  double numbers_[kMaxNumbers] = {};
  size_t count_ = 0;
  bool ok_ = true;
};

// matMul(heap, a, b, c, bias, biasSize, batch, batchA, batchB, m, n, k, transposeA, transposeB,
//        activation, leakyAlpha): offsets in bytes; bias −1 for none.
napi_value MatMul(napi_env env, napi_callback_info info) {
  Call call(env, info, "matMul", 15);
  if (!call.ok()) return nullptr;
  const int64_t a = call.integer(0), b = call.integer(1), c = call.integer(2);
  const int64_t bias = call.integer(3), biasSize = call.integer(4), batch = call.integer(5);
  const int64_t batchA = call.integer(6), batchB = call.integer(7), m = call.integer(8);
  const int64_t n = call.integer(9), k = call.integer(10), act = call.integer(13);
  const bool shapeOk = m >= 0 && n >= 0 && k >= 0 && batch >= 1 &&
                       (batchA == 1 || batchA == batch) && (batchB == 1 || batchB == batch) &&
                       act >= 0 && act <= 5 && (bias < 0 || biasSize >= 1);
  if (!call.require(shapeOk, "bad shape: batch " + std::to_string(batch) + " (a " +
                                 std::to_string(batchA) + ", b " + std::to_string(batchB) +
                                 "), m " + std::to_string(m) + ", n " + std::to_string(n) +
                                 ", k " + std::to_string(k) + ", activation " +
                                 std::to_string(act)) ||
      !call.inside("a", a, batchA * m * k) || !call.inside("b", b, batchB * k * n) ||
      !call.inside("c", c, batch * m * n) || (bias >= 0 && !call.inside("bias", bias, biasSize))) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::gemm({call.at<const float>(a), call.at<const float>(b), call.at<float>(c),
              bias >= 0 ? call.at<const float>(bias) : nullptr, biasSize, batch, batchA, batchB, m,
              n, k, call.integer(11) != 0, call.integer(12) != 0,
              static_cast<mmae::Activation>(act), call.real(14)});
  return nullptr;
}

// adam(heap, x, m, v, g, xOut, mOut, vOut, n, beta1, beta2, 1−beta1, 1−beta2, correction1,
//      correction2, epsilon, −learningRate): offsets in bytes, n floats each.
napi_value Adam(napi_env env, napi_callback_info info) {
  Call call(env, info, "adam", 16);
  if (!call.ok()) return nullptr;
  const int64_t n = call.integer(7);
  const char* names[] = {"x", "m", "v", "g", "xOut", "mOut", "vOut"};
  for (size_t i = 0; i < 7; ++i) {
    if (!call.inside(names[i], call.integer(i), n)) return nullptr;
  }
  const mmae::AdamConstants c{call.real(8),  call.real(9),  call.real(10), call.real(11),
                              call.real(12), call.real(13), call.real(14), call.real(15)};
  auto at = [&call](size_t i) { return call.at<float>(call.integer(i)); };
  FlushDenormals flush;
  mmae::adamStep(at(0), at(1), at(2), at(3), at(4), at(5), at(6), n, c);
  return nullptr;
}

// denseGrad(heap, x, w, y, dy, dx, dw, db, batch, in, out, activation, leakyAlpha): offsets in
// bytes; dx −1 skips the input's part, dw and db −1 the weights' part.
napi_value DenseGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "denseGrad", 12);
  if (!call.ok()) return nullptr;
  const int64_t batch = call.integer(7), in = call.integer(8), out = call.integer(9);
  const int64_t act = call.integer(10);
  const bool input = call.integer(4) >= 0, weights = call.integer(5) >= 0;
  if (!call.require(batch >= 0 && in >= 0 && out >= 0 && act >= 0 && act <= 5,
                    "bad shape or activation") ||
      !call.require(weights == (call.integer(6) >= 0), "dw and db go together")) {
    return nullptr;
  }
  const char* names[] = {"x", "w", "y", "dy", "dx", "dw", "db"};
  const int64_t sizes[] = {batch * in, in * out, batch * out, batch * out, batch * in, in * out, out};
  const bool wanted[] = {true, true, true, true, input, weights, weights};
  for (size_t i = 0; i < 7; ++i) {
    if (wanted[i] && !call.inside(names[i], call.integer(i), sizes[i])) return nullptr;
  }
  auto at = [&call](size_t i) {
    return call.integer(i) < 0 ? nullptr : call.at<float>(call.integer(i));
  };
  FlushDenormals flush;
  mmae::denseGrad({at(0), at(1), at(2), at(3), at(4), at(5), at(6), batch, in, out,
                   static_cast<mmae::Activation>(act), call.real(11)});
  return nullptr;
}

// bernoulliNll(heap, x, z, out, rows, cols): offsets in bytes.
napi_value BernoulliNll(napi_env env, napi_callback_info info) {
  Call call(env, info, "bernoulliNll", 5);
  if (!call.ok()) return nullptr;
  const int64_t rows = call.integer(3), cols = call.integer(4);
  if (!call.require(rows >= 0 && cols >= 0, "negative shape") ||
      !call.inside("x", call.integer(0), rows * cols) ||
      !call.inside("z", call.integer(1), rows * cols) ||
      !call.inside("out", call.integer(2), rows)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::bernoulliNll(call.at<const float>(call.integer(0)), call.at<const float>(call.integer(1)),
                     call.at<float>(call.integer(2)), rows, cols);
  return nullptr;
}

// bernoulliNllGrad(heap, x, z, dy, dx, dz, rows, cols): offsets in bytes.
napi_value BernoulliNllGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "bernoulliNllGrad", 7);
  if (!call.ok()) return nullptr;
  const int64_t rows = call.integer(5), cols = call.integer(6);
  if (!call.require(rows >= 0 && cols >= 0, "negative shape")) return nullptr;
  const char* names[] = {"x", "z", "dy", "dx", "dz"};
  const int64_t sizes[] = {rows * cols, rows * cols, rows, rows * cols, rows * cols};
  for (size_t i = 0; i < 5; ++i) {
    if (!call.inside(names[i], call.integer(i), sizes[i])) return nullptr;
  }
  auto at = [&call](size_t i) { return call.at<float>(call.integer(i)); };
  FlushDenormals flush;
  mmae::bernoulliNllGrad(at(0), at(1), at(2), at(3), at(4), rows, cols);
  return nullptr;
}

// The token NLL's shape from arguments [first, first + 4): rows, positions, vocab, pad.
bool tokenShape(Call& call, size_t first, mmae::TokenNllShape* shape) {
  *shape = {call.integer(first), call.integer(first + 1), call.integer(first + 2),
            static_cast<int32_t>(call.integer(first + 3))};
  return call.require(shape->rows >= 0 && shape->positions >= 0 && shape->vocab >= 0,
                      "negative shape");
}

// tokenNll(heap, logits, ids, out, rows, positions, vocab, pad): offsets in bytes.
napi_value TokenNll(napi_env env, napi_callback_info info) {
  Call call(env, info, "tokenNll", 7);
  mmae::TokenNllShape shape{};
  if (!call.ok() || !tokenShape(call, 3, &shape)) return nullptr;
  const int64_t tokens = shape.rows * shape.positions;
  if (!call.inside("logits", call.integer(0), tokens * shape.vocab) ||
      !call.inside("ids", call.integer(1), tokens) ||
      !call.inside("out", call.integer(2), shape.rows)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::tokenNll(call.at<const float>(call.integer(0)), call.at<const int32_t>(call.integer(1)),
                 call.at<float>(call.integer(2)), shape);
  return nullptr;
}

// tokenNllGrad(heap, logits, ids, dy, dlogits, rows, positions, vocab, pad): offsets in bytes.
napi_value TokenNllGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "tokenNllGrad", 8);
  mmae::TokenNllShape shape{};
  if (!call.ok() || !tokenShape(call, 4, &shape)) return nullptr;
  const int64_t tokens = shape.rows * shape.positions;
  if (!call.inside("logits", call.integer(0), tokens * shape.vocab) ||
      !call.inside("ids", call.integer(1), tokens) ||
      !call.inside("dy", call.integer(2), shape.rows) ||
      !call.inside("dlogits", call.integer(3), tokens * shape.vocab)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::tokenNllGrad(call.at<const float>(call.integer(0)), call.at<const int32_t>(call.integer(1)),
                     call.at<const float>(call.integer(2)), call.at<float>(call.integer(3)), shape);
  return nullptr;
}

// The shape and subset table of the product-of-experts kernels, from arguments [0, 5 + S·M):
// rows, latent, experts M, subsets S, withPrior 0/1, then S·M membership flags. `tensors` says
// how many offsets follow in units of M and S; the remaining arguments must be exactly those.
struct PoeCall {
  mmae::PoeShape shape{};
  std::vector<uint8_t> member;
  size_t first = 0;  // index of the first offset
};

bool poeCall(Call& call, int64_t perExpert, int64_t perSubset, PoeCall* out) {
  if (!call.require(call.size() >= 5, "expected rows, latent, experts, subsets, withPrior")) {
    return false;
  }
  const int64_t rows = call.integer(0), latent = call.integer(1);
  const int64_t experts = call.integer(2), subsets = call.integer(3);
  const int64_t expected = 5 + subsets * experts + perExpert * experts + perSubset * subsets;
  if (!call.require(rows >= 0 && latent >= 0 && experts >= 1 && subsets >= 1 &&
                        static_cast<int64_t>(call.size()) == expected,
                    "rows " + std::to_string(rows) + ", latent " + std::to_string(latent) +
                        ", experts " + std::to_string(experts) + ", subsets " +
                        std::to_string(subsets) + " need " + std::to_string(expected) +
                        " numbers, got " + std::to_string(call.size()))) {
    return false;
  }
  out->member.resize(static_cast<size_t>(subsets * experts));
  for (int64_t i = 0; i < subsets * experts; ++i) out->member[i] = call.integer(5 + i) != 0;
  out->shape = {rows, latent, experts, subsets, call.integer(4) != 0 ? 1.0f : 1e-6f,
                out->member.data()};
  out->first = static_cast<size_t>(5 + subsets * experts);
  return true;
}

// Reads `count` offsets from argument `*next` on, each checked for `floats` floats.
template <typename T>
bool poeTensors(Call& call, const char* what, int64_t count, int64_t floats, size_t* next,
                std::vector<T*>* out) {
  for (int64_t i = 0; i < count; ++i) {
    const int64_t offset = call.integer((*next)++);
    if (!call.inside(what, offset, floats)) return false;
    out->push_back(call.at<T>(offset));
  }
  return true;
}

// The inputs both product-of-experts entry points take first: params[M], present[M], eps[S].
struct PoeInputs {
  std::vector<const float*> params, present, eps;
};

bool poeInputs(Call& call, const mmae::PoeShape& s, size_t* next, PoeInputs* in) {
  return poeTensors(call, "params", s.experts, s.rows * 2 * s.latent, next, &in->params) &&
         poeTensors(call, "present", s.experts, s.rows, next, &in->present) &&
         poeTensors(call, "eps", s.subsets, s.rows * s.latent, next, &in->eps);
}

// poeSample(heap, rows, latent, M, S, withPrior, member[S·M], params[M], present[M], eps[S],
//           z[S], kl[S]): offsets in bytes.
napi_value PoeSample(napi_env env, napi_callback_info info) {
  Call call(env, info, "poeSample", 0);
  PoeCall poe;
  if (!call.ok() || !poeCall(call, 2, 3, &poe)) return nullptr;
  const mmae::PoeShape& s = poe.shape;
  PoeInputs in;
  std::vector<float*> z, kl;
  size_t next = poe.first;
  if (!poeInputs(call, s, &next, &in) ||
      !poeTensors(call, "z", s.subsets, s.rows * s.latent, &next, &z) ||
      !poeTensors(call, "kl", s.subsets, s.rows, &next, &kl)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::poeSample(s, in.params.data(), in.present.data(), in.eps.data(), z.data(), kl.data());
  return nullptr;
}

// poeSampleGrad(heap, rows, latent, M, S, withPrior, member[S·M], params[M], present[M], eps[S],
//               dz[S], dkl[S], dparams[M]): offsets in bytes.
napi_value PoeSampleGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "poeSampleGrad", 0);
  PoeCall poe;
  if (!call.ok() || !poeCall(call, 3, 3, &poe)) return nullptr;
  const mmae::PoeShape& s = poe.shape;
  PoeInputs in;
  std::vector<const float*> dz, dkl;
  std::vector<float*> dparams;
  size_t next = poe.first;
  if (!poeInputs(call, s, &next, &in) ||
      !poeTensors(call, "dz", s.subsets, s.rows * s.latent, &next, &dz) ||
      !poeTensors(call, "dkl", s.subsets, s.rows, &next, &dkl) ||
      !poeTensors(call, "dparams", s.experts, s.rows * 2 * s.latent, &next, &dparams)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::poeSampleGrad(s, in.params.data(), in.present.data(), in.eps.data(), dz.data(),
                      dkl.data(), dparams.data());
  return nullptr;
}

// sumMiddle(heap, x, out, outer, mid, inner): offsets in bytes.
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  Call call(env, info, "sumMiddle", 5);
  if (!call.ok()) return nullptr;
  const int64_t outer = call.integer(2), mid = call.integer(3), inner = call.integer(4);
  if (!call.require(outer >= 0 && mid >= 0 && inner >= 0, "negative shape") ||
      !call.inside("x", call.integer(0), outer * mid * inner) ||
      !call.inside("out", call.integer(1), outer * inner)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::sumMiddle(call.at<const float>(call.integer(0)), call.at<float>(call.integer(1)), outer,
                  mid, inner);
  return nullptr;
}

// The convolution's shape from arguments [first, first + 15): batch, inH, inW, inC, outH, outW,
// outC, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft. Any padding is safe:
// the kernels read only input cells that exist.
bool convShape(Call& call, size_t first, mmae::ConvShape* s) {
  int64_t v[15];
  for (size_t i = 0; i < 15; ++i) v[i] = call.integer(first + i);
  *s = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  bool ok = true;
  for (size_t i = 0; i < 9; ++i) ok = ok && v[i] >= 0;
  for (size_t i = 9; i < 13; ++i) ok = ok && v[i] >= 1;
  return call.require(ok, "bad convolution shape: negative size, or stride or dilation below 1");
}

int64_t inputSize(const mmae::ConvShape& s) { return s.batch * s.inH * s.inW * s.inC; }
int64_t outputSize(const mmae::ConvShape& s) { return s.batch * s.outH * s.outW * s.outC; }
int64_t filterSize(const mmae::ConvShape& s) { return s.fH * s.fW * s.inC * s.outC; }

// conv2d(heap, x, w, bias, biasSize, y, activation, leakyAlpha, shape[15]): offsets in bytes;
// bias −1 for none.
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Call call(env, info, "conv2d", 22);
  mmae::ConvShape s{};
  if (!call.ok() || !convShape(call, 7, &s)) return nullptr;
  const int64_t bias = call.integer(2), biasSize = call.integer(3), act = call.integer(5);
  if (!call.require(act >= 0 && act <= 5 && (bias < 0 || biasSize >= 1),
                    "bad activation or bias size") ||
      !call.inside("x", call.integer(0), inputSize(s)) ||
      !call.inside("w", call.integer(1), filterSize(s)) ||
      (bias >= 0 && !call.inside("bias", bias, biasSize)) ||
      !call.inside("y", call.integer(4), outputSize(s))) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::conv2d(s, call.at<const float>(call.integer(0)), call.at<const float>(call.integer(1)),
               bias >= 0 ? call.at<const float>(bias) : nullptr, biasSize,
               static_cast<mmae::Activation>(act), call.real(6), call.at<float>(call.integer(4)));
  return nullptr;
}

// conv2dBackpropInput(heap, dy, w, dx, shape[15]): offsets in bytes.
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  Call call(env, info, "conv2dBackpropInput", 18);
  mmae::ConvShape s{};
  if (!call.ok() || !convShape(call, 3, &s) ||
      !call.inside("dy", call.integer(0), outputSize(s)) ||
      !call.inside("w", call.integer(1), filterSize(s)) ||
      !call.inside("dx", call.integer(2), inputSize(s))) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::conv2dBackpropInput(s, call.at<const float>(call.integer(0)),
                            call.at<const float>(call.integer(1)), call.at<float>(call.integer(2)));
  return nullptr;
}

// conv2dBackpropFilter(heap, x, dy, dw, shape[15]): offsets in bytes.
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  Call call(env, info, "conv2dBackpropFilter", 18);
  mmae::ConvShape s{};
  if (!call.ok() || !convShape(call, 3, &s) ||
      !call.inside("x", call.integer(0), inputSize(s)) ||
      !call.inside("dy", call.integer(1), outputSize(s)) ||
      !call.inside("dw", call.integer(2), filterSize(s))) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::conv2dBackpropFilter(s, call.at<const float>(call.integer(0)),
                             call.at<const float>(call.integer(1)),
                             call.at<float>(call.integer(2)));
  return nullptr;
}

// conv2dLayerGrad(heap, x, w, y, dy, dx, dw, db, activation, leakyAlpha, shape[15]): offsets in
// bytes; dx −1 skips the input's part, dw −1 the weights' part, db −1 the bias.
napi_value Conv2dLayerGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "conv2dLayerGrad", 24);
  mmae::ConvShape s{};
  if (!call.ok() || !convShape(call, 9, &s)) return nullptr;
  const int64_t dx = call.integer(4), dw = call.integer(5), db = call.integer(6);
  const int64_t act = call.integer(7);
  if (!call.require(act >= 0 && act <= 5, "bad activation") ||
      !call.inside("x", call.integer(0), inputSize(s)) ||
      !call.inside("w", call.integer(1), filterSize(s)) ||
      !call.inside("y", call.integer(2), outputSize(s)) ||
      !call.inside("dy", call.integer(3), outputSize(s)) ||
      (dx >= 0 && !call.inside("dx", dx, inputSize(s))) ||
      (dw >= 0 && !call.inside("dw", dw, filterSize(s))) ||
      (db >= 0 && !call.inside("db", db, s.outC))) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::conv2dLayerGrad(s, call.at<const float>(call.integer(0)),
                        call.at<const float>(call.integer(1)),
                        call.at<const float>(call.integer(2)),
                        call.at<const float>(call.integer(3)),
                        static_cast<mmae::Activation>(act), call.real(8),
                        dx >= 0 ? call.at<float>(dx) : nullptr,
                        dw >= 0 ? call.at<float>(dw) : nullptr,
                        db >= 0 ? call.at<float>(db) : nullptr);
  return nullptr;
}

// The resize shape from arguments [2, 12): batch, inHeight, inWidth, channels, outHeight,
// outWidth, bilinear, alignCorners, halfPixelCenters; checks the two tensors at 0 (the input
// side) and 1 (the output side).
bool resizeCall(Call& call, mmae::ResizeShape* s, bool* bilinear) {
  *s = {call.integer(2), call.integer(3), call.integer(4), call.integer(5), call.integer(6),
        call.integer(7), call.integer(9) != 0, call.integer(10) != 0};
  *bilinear = call.integer(8) != 0;
  return call.require(s->batch >= 0 && s->inHeight >= 1 && s->inWidth >= 1 && s->channels >= 0 &&
                          s->outHeight >= 0 && s->outWidth >= 0,
                      "bad shape") &&
         call.inside("images", call.integer(0),
                     s->batch * s->inHeight * s->inWidth * s->channels) &&
         call.inside("resized", call.integer(1),
                     s->batch * s->outHeight * s->outWidth * s->channels);
}

// resize(heap, x, y, batch, inHeight, inWidth, channels, outHeight, outWidth, bilinear,
//        alignCorners, halfPixelCenters): offsets in bytes.
napi_value Resize(napi_env env, napi_callback_info info) {
  Call call(env, info, "resize", 11);
  mmae::ResizeShape s{};
  bool bilinear = false;
  if (!call.ok() || !resizeCall(call, &s, &bilinear)) return nullptr;
  FlushDenormals flush;
  const float* x = call.at<const float>(call.integer(0));
  float* y = call.at<float>(call.integer(1));
  bilinear ? mmae::resizeBilinear(x, y, s) : mmae::resizeNearest(x, y, s);
  return nullptr;
}

// resizeGrad(heap, dx, dy, …the same shape as resize): offsets in bytes.
napi_value ResizeGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "resizeGrad", 11);
  mmae::ResizeShape s{};
  bool bilinear = false;
  if (!call.ok() || !resizeCall(call, &s, &bilinear)) return nullptr;
  FlushDenormals flush;
  float* dx = call.at<float>(call.integer(0));
  const float* dy = call.at<const float>(call.integer(1));
  bilinear ? mmae::resizeBilinearGrad(dy, dx, s) : mmae::resizeNearestGrad(dy, dx, s);
  return nullptr;
}

// The pooling shape from arguments [first, first + 14): batch, inHeight, inWidth, channels,
// outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight,
// dilationWidth, padTop, padLeft.
bool poolShape(Call& call, size_t first, mmae::PoolShape* s) {
  int64_t v[14];
  for (size_t i = 0; i < 14; ++i) v[i] = call.integer(first + i);
  *s = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  bool ok = true;
  for (size_t i = 0; i < 6; ++i) ok = ok && v[i] >= 0;
  for (size_t i = 6; i < 12; ++i) ok = ok && v[i] >= 1;
  // max-pool.cc keeps each window's argmax as a 32-bit pixel index.
  ok = ok && v[1] * v[2] <= INT32_MAX;
  return call.require(ok, "bad pooling shape");
}

// maxPool(heap, x, y, …14 shape numbers): offsets in bytes.
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Call call(env, info, "maxPool", 16);
  mmae::PoolShape s{};
  if (!call.ok() || !poolShape(call, 2, &s) ||
      !call.inside("x", call.integer(0), s.batch * s.inHeight * s.inWidth * s.channels) ||
      !call.inside("y", call.integer(1), s.batch * s.outHeight * s.outWidth * s.channels)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::maxPool(call.at<const float>(call.integer(0)), call.at<float>(call.integer(1)), s);
  return nullptr;
}

// maxPoolGrad(heap, x, dy, dx, …14 shape numbers): offsets in bytes.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, "maxPoolGrad", 17);
  mmae::PoolShape s{};
  if (!call.ok() || !poolShape(call, 3, &s)) return nullptr;
  const int64_t in = s.batch * s.inHeight * s.inWidth * s.channels;
  if (!call.inside("x", call.integer(0), in) ||
      !call.inside("dy", call.integer(1), s.batch * s.outHeight * s.outWidth * s.channels) ||
      !call.inside("dx", call.integer(2), in)) {
    return nullptr;
  }
  FlushDenormals flush;
  mmae::maxPoolGrad(call.at<const float>(call.integer(0)), call.at<const float>(call.integer(1)),
                    call.at<float>(call.integer(2)), s);
  return nullptr;
}

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value name;
  napi_create_string_utf8(env, mmae::gemmIsa(), NAPI_AUTO_LENGTH, &name);
  return name;
}

// setThreads(n): how many threads (the caller included) the kernels use from now on; n ≥ 1.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  double n = 0;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 1 || napi_get_value_double(env, argv[0], &n) != napi_ok || !(n >= 1) ||
      n != static_cast<double>(static_cast<int>(n))) {
    napi_throw_range_error(env, nullptr, "mmae native kernel setThreads: expected an integer ≥ 1");
    return nullptr;
  }
  mmae::setThreads(static_cast<int>(n));
  return nullptr;
}

napi_value Threads(napi_env env, napi_callback_info) {
  napi_value count;
  napi_create_int32(env, mmae::threads(), &count);
  return count;
}

// poolStats(): [calls, callerPartsSeconds, partsSeconds, criticalPathSeconds] (thread-pool.h;
// zeros unless MMAE_POOL_STATS=1).
napi_value PoolStats(napi_env env, napi_callback_info) {
  const mmae::PoolStats s = mmae::poolStats();
  const double values[4] = {static_cast<double>(s.calls), s.callerPartsSeconds, s.partsSeconds,
                            s.criticalPathSeconds};
  napi_value array;
  napi_create_array_with_length(env, 4, &array);
  for (uint32_t i = 0; i < 4; ++i) {
    napi_value v;
    napi_create_double(env, values[i], &v);
    napi_set_element(env, array, i, v);
  }
  return array;
}

// threadCpuSeconds(): the calling (JS) thread's CPU seconds.
napi_value ThreadCpuSeconds(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_double(env, mmae::threadCpuSeconds(), &v);
  return v;
}

napi_value DefaultThreads(napi_env env, napi_callback_info) {
  napi_value count;
  napi_create_int32(env, mmae::defaultThreads(), &count);
  return count;
}

}  // namespace

NAPI_MODULE_INIT() {
  const struct {
    const char* name;
    napi_callback function;
  } entries[] = {{"matMul", MatMul},
                 {"adam", Adam},
                 {"denseGrad", DenseGrad},
                 {"bernoulliNll", BernoulliNll},
                 {"bernoulliNllGrad", BernoulliNllGrad},
                 {"tokenNll", TokenNll},
                 {"tokenNllGrad", TokenNllGrad},
                 {"poeSample", PoeSample},
                 {"poeSampleGrad", PoeSampleGrad},
                 {"sumMiddle", SumMiddle},
                 {"conv2d", Conv2d},
                 {"conv2dBackpropInput", Conv2dBackpropInput},
                 {"conv2dBackpropFilter", Conv2dBackpropFilter},
                 {"conv2dLayerGrad", Conv2dLayerGrad},
                 {"resize", Resize},
                 {"resizeGrad", ResizeGrad},
                 {"maxPool", MaxPool},
                 {"maxPoolGrad", MaxPoolGrad},
                 {"isa", Isa},
                 {"setThreads", SetThreads},
                 {"threads", Threads},
                 {"defaultThreads", DefaultThreads},
                 {"poolStats", PoolStats},
                 {"threadCpuSeconds", ThreadCpuSeconds}};
  for (const auto& entry : entries) {
    napi_value function;
    napi_create_function(env, entry.name, NAPI_AUTO_LENGTH, entry.function, nullptr, &function);
    napi_set_named_property(env, exports, entry.name, function);
  }
  return exports;
}
