// HmRec's CUDA kernels. NVRTC compiles this file at run time for the device's compute capability
// (CudaKernels.cs embeds it); the test suite's CUDA emulator compiles the same file with g++.
// Reductions run in a fixed order (one block per column, a shared-memory tree), so results do not vary
// between runs; dropout uses the SplitMix64 hash of DropoutHash.cs; every formula is written as the CPU
// backend's, so the two backends agree to rounding. Only builtins: no #include (NVRTC has no system headers).
typedef unsigned long long u64;
#define THREADS 256

__device__ __forceinline__ u64 mix(u64 x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Sum of v over the block (THREADS threads), in a fixed order; every thread gets the result.
template <typename T>
__device__ T block_sum(T v, T* s) {
  int t = threadIdx.x;
  s[t] = v;
  __syncthreads();
  for (int o = THREADS / 2; o > 0; o >>= 1) {
    if (t < o) s[t] += s[t + o];
    __syncthreads();
  }
  T r = s[0];
  __syncthreads();
  return r;
}

extern "C" __global__ void fill(float* x, float v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] = v;
}

extern "C" __global__ void add_row(float* x, const float* b, int rows, int cols) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < rows * cols) x[i] += b[i % cols];
}

// One block per column.
extern "C" __global__ void sum_rows(const float* x, float* sums, int rows, int cols) {
  __shared__ float s[THREADS];
  int j = blockIdx.x;
  float acc = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) acc += x[(u64)r * cols + j];
  float total = block_sum(acc, s);
  if (threadIdx.x == 0) sums[j] = total;
}

// Batch normalisation in training mode, one block per column: statistics, running averages, x̂ and y.
extern "C" __global__ void bn_train(const float* x, const float* gamma, const float* beta, float* run_mean, float* run_var,
                                    float* xhat, float* inv_std, float* y, int rows, int cols, float momentum, float eps) {
  __shared__ float s[THREADS];
  int j = blockIdx.x;
  float acc = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) acc += x[(u64)r * cols + j];
  float mean = block_sum(acc, s) * (1.0f / rows);
  acc = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) { float d = x[(u64)r * cols + j] - mean; acc += d * d; }
  float var = block_sum(acc, s) * (1.0f / rows);
  float inv = 1.0f / sqrtf(var + eps);
  if (threadIdx.x == 0) {
    inv_std[j] = inv;
    float unbiased = (float)rows / (float)(rows - 1);
    run_mean[j] = (1 - momentum) * run_mean[j] + momentum * mean;
    run_var[j] = (1 - momentum) * run_var[j] + momentum * var * unbiased;
  }
  float g = gamma[j], b = beta[j];
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    u64 k = (u64)r * cols + j;
    float h = (x[k] - mean) * inv;
    xhat[k] = h;
    y[k] = h * g + b;
  }
}

extern "C" __global__ void bn_infer(const float* x, const float* gamma, const float* beta, const float* mean, const float* var,
                                    float* y, int rows, int cols, float eps) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < rows * cols) {
    int j = i % cols;
    float scale = gamma[j] / sqrtf(var[j] + eps);
    float shift = beta[j] - mean[j] * scale;
    y[i] = x[i] * scale + shift;
  }
}

// One block per column: dgamma, dbeta, then dx = gamma/(n σ) (n dy − Σdy − x̂ Σ(dy x̂)).
extern "C" __global__ void bn_backward(const float* dy, const float* xhat, const float* gamma, const float* inv_std,
                                       float* dgamma, float* dbeta, float* dx, int rows, int cols) {
  __shared__ float s[THREADS];
  int j = blockIdx.x;
  float sb = 0, sg = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) { u64 k = (u64)r * cols + j; sb += dy[k]; sg += dy[k] * xhat[k]; }
  float db = block_sum(sb, s);
  float dg = block_sum(sg, s);
  if (threadIdx.x == 0) { dbeta[j] = db; dgamma[j] = dg; }
  float scale = gamma[j] * inv_std[j] / rows;
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    u64 k = (u64)r * cols + j;
    dx[k] = (-(xhat[k] * dg + db - dy[k] * rows)) * scale;
  }
}

extern "C" __global__ void relu_dropout(float* x, float* mask, int n, float p, u64 stream, float keep) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    float u = (float)(mix(stream + (u64)i) >> 40) * (1.0f / 16777216.0f);
    float f = (v > 0 && (p == 0 || u >= p)) ? keep : 0.0f;
    mask[i] = f;
    x[i] = v * f;
  }
}

extern "C" __global__ void relu(float* x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] = fmaxf(x[i], 0.0f);
}

extern "C" __global__ void multiply(float* x, const float* m, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] *= m[i];
}

extern "C" __global__ void copy_columns(const float* src, float* dst, int rows, int src_cols, int dst_cols, int offset) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < rows * src_cols) { int r = i / src_cols, c = i % src_cols; dst[(u64)r * dst_cols + offset + c] = src[i]; }
}

extern "C" __global__ void extract_columns(const float* src, float* dst, int rows, int src_cols, int dst_cols, int offset) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < rows * dst_cols) { int r = i / dst_cols, c = i % dst_cols; dst[i] = src[(u64)r * src_cols + offset + c]; }
}

// One block: the weighted mean loss (in double, as the CPU) and its gradient.
extern "C" __global__ void bce(const float* z, const float* y, const float* w, float* g, float* loss, int n) {
  __shared__ double s[THREADS];
  double acc = 0, wsum = 0;
  for (int i = threadIdx.x; i < n; i += THREADS) {
    double zi = z[i];
    double sp = fmax(zi, 0.0) + log(1.0 + exp(-fabs(zi)));
    acc += w[i] * (sp - y[i] * zi);
    wsum += w[i];
  }
  double total = block_sum(acc, s);
  double weights = block_sum(wsum, s);
  double inv = weights > 0 ? 1.0 / weights : 0.0;
  for (int i = threadIdx.x; i < n; i += THREADS) {
    g[i] = (float)(w[i] * (1.0 / (1.0 + exp(-(double)z[i])) - y[i]) * inv);
  }
  if (threadIdx.x == 0) loss[0] = (float)(total * inv);
}

extern "C" __global__ void adamw(float* p, const float* g, float* m, float* v, int n, float lr, float decay,
                                 float b1, float b2, float c1, float c2, float eps) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    p[i] *= decay;
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    p[i] -= lr * (m[i] / c1) / (sqrtf(v[i] / c2) + eps);
  }
}
