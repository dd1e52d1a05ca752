using System.Runtime.InteropServices;
using System.Text;

namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>
/// The element-wise and per-column kernels of the CUDA backend, as CUDA C++ compiled by NVRTC at start for
/// the device's compute capability and loaded through the driver API. Reductions run in a fixed order
/// (one block per column, a shared-memory tree), so results do not vary between runs; dropout uses the
/// same SplitMix64 hash as <see cref="DropoutHash"/>, and every formula is written as the CPU backend's, so
/// the two backends agree to rounding.
/// </summary>
internal sealed unsafe class CudaKernels : IDisposable
{
    public const int Threads = 256;

    private const string Source = """
        typedef unsigned long long u64;
        #define THREADS 256

        __device__ __forceinline__ u64 mix(u64 x) {
          x += 0x9E3779B97F4A7C15ULL;
          x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
          x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
          return x ^ (x >> 31);
        }

        // Sum of v over the block (THREADS threads), in a fixed order; every thread gets the result.
        __device__ float block_sum(float v, float* s) {
          s[threadIdx.x] = v;
          __syncthreads();
          for (int o = THREADS / 2; o > 0; o >>= 1) {
            if (threadIdx.x < o) s[threadIdx.x] += s[threadIdx.x + o];
            __syncthreads();
          }
          float r = s[0];
          __syncthreads();
          return r;
        }

        __device__ double block_sum_d(double v, double* s) {
          s[threadIdx.x] = v;
          __syncthreads();
          for (int o = THREADS / 2; o > 0; o >>= 1) {
            if (threadIdx.x < o) s[threadIdx.x] += s[threadIdx.x + o];
            __syncthreads();
          }
          double r = s[0];
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
          for (int r = threadIdx.x; r < rows; r += THREADS) acc += x[(size_t)r * cols + j];
          float total = block_sum(acc, s);
          if (threadIdx.x == 0) sums[j] = total;
        }

        // Batch normalisation in training mode, one block per column: statistics, running averages, x̂ and y.
        extern "C" __global__ void bn_train(const float* x, const float* gamma, const float* beta, float* run_mean, float* run_var,
                                            float* xhat, float* inv_std, float* y, int rows, int cols, float momentum, float eps) {
          __shared__ float s[THREADS];
          int j = blockIdx.x;
          float acc = 0;
          for (int r = threadIdx.x; r < rows; r += THREADS) acc += x[(size_t)r * cols + j];
          float mean = block_sum(acc, s) * (1.0f / rows);
          acc = 0;
          for (int r = threadIdx.x; r < rows; r += THREADS) { float d = x[(size_t)r * cols + j] - mean; acc += d * d; }
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
            size_t k = (size_t)r * cols + j;
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
          for (int r = threadIdx.x; r < rows; r += THREADS) { size_t k = (size_t)r * cols + j; sb += dy[k]; sg += dy[k] * xhat[k]; }
          float db = block_sum(sb, s);
          float dg = block_sum(sg, s);
          if (threadIdx.x == 0) { dbeta[j] = db; dgamma[j] = dg; }
          float scale = gamma[j] * inv_std[j] / rows;
          for (int r = threadIdx.x; r < rows; r += THREADS) {
            size_t k = (size_t)r * cols + j;
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
          if (i < rows * src_cols) { int r = i / src_cols, c = i % src_cols; dst[(size_t)r * dst_cols + offset + c] = src[i]; }
        }

        extern "C" __global__ void extract_columns(const float* src, float* dst, int rows, int src_cols, int dst_cols, int offset) {
          int i = blockIdx.x * blockDim.x + threadIdx.x;
          if (i < rows * dst_cols) { int r = i / dst_cols, c = i % dst_cols; dst[i] = src[(size_t)r * src_cols + offset + c]; }
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
          double total = block_sum_d(acc, s);
          double weights = block_sum_d(wsum, s);
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
        """;

    private static readonly string[] Names =
    [
        "fill", "add_row", "sum_rows", "bn_train", "bn_infer", "bn_backward", "relu_dropout", "relu", "multiply",
        "copy_columns", "extract_columns", "bce", "adamw",
    ];

    private readonly CudaModule module;
    private readonly Dictionary<string, IntPtr> functions = new(StringComparer.Ordinal);

    public CudaKernels(int major, int minor)
    {
        var ptx = Compile(major, minor);
        fixed (byte* image = ptx)
        {
            CudaCheck.Driver(NativeMethods.ModuleLoadData(out var m, image), "loading the compiled kernels");
            module = new CudaModule(m);
        }
        foreach (var name in Names)
        {
            var bytes = Encoding.ASCII.GetBytes(name + "\0");
            fixed (byte* n = bytes)
            {
                CudaCheck.Driver(NativeMethods.ModuleGetFunction(out var f, module.Module, n), $"kernel {name}");
                functions[name] = f;
            }
        }
    }

    public IntPtr this[string name] => functions[name];

    /// <summary>Launches <paramref name="name"/> on a 1-D grid.</summary>
    public void Launch(string name, uint blocks, void** arguments, uint threads = Threads)
    {
        if (blocks == 0)
        {
            return;
        }
        CudaCheck.Driver(NativeMethods.LaunchKernel(functions[name], blocks, 1, 1, threads, 1, 1, 0, IntPtr.Zero, arguments, null), $"launch of {name}");
    }

    /// <summary>Blocks of <see cref="Threads"/> threads covering <paramref name="elements"/>.</summary>
    public static uint Blocks(long elements) => (uint)((elements + Threads - 1) / Threads);

    public void Dispose() => module.Dispose();

    /// <summary>The kernels as PTX for compute capability major.minor (NVRTC's log in the error when they do not compile).</summary>
    public static byte[] Compile(int major, int minor)
    {
        CudaLibraries.PreloadNvrtcBuiltins();
        var source = Encoding.UTF8.GetBytes(Source + "\0");
        var name = "hmrec_kernels.cu\0"u8.ToArray();
        IntPtr program;
        fixed (byte* s = source, n = name)
        {
            CudaCheck.Nvrtc(NativeMethods.NvrtcCreateProgram(out program, s, n, 0, null, null), "program creation");
        }
        try
        {
            var options = new[] { $"--gpu-architecture=compute_{major}{minor}", "--std=c++17" }.Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
            var handles = options.Select(o => GCHandle.Alloc(o, GCHandleType.Pinned)).ToArray();
            try
            {
                var pointers = stackalloc byte*[options.Length];
                for (var i = 0; i < options.Length; i++)
                {
                    pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                }
                var result = NativeMethods.NvrtcCompileProgram(program, options.Length, pointers);
                if (result != 0)
                {
                    NativeMethods.NvrtcGetProgramLogSize(program, out var logSize);
                    var log = new byte[logSize];
                    fixed (byte* l = log)
                    {
                        NativeMethods.NvrtcGetProgramLog(program, l);
                    }
                    throw new CudaException($"NVRTC could not compile the kernels: {Encoding.UTF8.GetString(log).TrimEnd('\0')}");
                }
            }
            finally
            {
                foreach (var h in handles)
                {
                    h.Free();
                }
            }
            CudaCheck.Nvrtc(NativeMethods.NvrtcGetPtxSize(program, out var size), "PTX size");
            var ptx = new byte[size];
            fixed (byte* p = ptx)
            {
                CudaCheck.Nvrtc(NativeMethods.NvrtcGetPtx(program, p), "PTX");
            }
            return ptx;
        }
        finally
        {
            NativeMethods.NvrtcDestroyProgram(ref program);
        }
    }
}
