// HmRec's CUDA emulator, for the test suite: the part of the CUDA driver API, cuBLAS and NVRTC that
// Training.Gpu's CUDA backend calls, run on the CPU. It compiles the backend's own kernels (Kernels.cu)
// with g++ and runs each block's threads as fibers that meet at __syncthreads, so the backend's host code
// (argument marshalling, the row-major to column-major sgemm mapping, launches, copies, contexts) and its
// kernels' logic are exercised where no GPU is present. It is not a GPU and proves nothing about one: the
// [GpuFact] tests and `hmrec-train-gpu check-devices` on a real device do that.
//
// It is strict where CUDA is: a context must be current on the calling thread, copies must stay inside
// allocations, kernel pointer arguments must be device pointers, barriers must be reached by every thread
// of a block. Allocations end against a guard page, so a kernel that writes past a buffer faults.
//
// Build (the tests do it): g++ -std=c++20 -O3 -shared -fPIC -fvisibility=hidden
//   -I Training.Gpu/Tensors/Cuda -DHMREC_KERNELS_PATH='"/abs/Kernels.cu"' -o libhmrec-cuda-emulator.so cuda_emulator.cpp
// Point HMREC_CUDA_DRIVER_LIB, HMREC_CUBLAS_LIB and HMREC_NVRTC_LIB at the library.
// HMREC_CUDA_EMULATOR_FAULT=skip:KERNEL makes launches of KERNEL do nothing (to show that the comparison of
// the backends catches a broken kernel); =compile makes NVRTC fail with a log, as a kernel syntax error would.

#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#define EXPORT extern "C" __attribute__((visibility("default")))

namespace emu {
struct Dim {
  unsigned x = 0, y = 0, z = 0;
};
}  // namespace emu

// CUDA's built-in variables and qualifiers, as the kernels see them. Blocks run one at a time on the
// launching thread, so a function-scope static is exactly one block's shared memory.
static emu::Dim threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
static void __syncthreads();

#include "Kernels.cu"

namespace emu {

// ---------------------------------------------------------------- errors

enum : int {
  kSuccess = 0,
  kInvalidValue = 1,
  kNotInitialized = 3,
  kInvalidDevice = 101,
  kInvalidImage = 200,
  kInvalidContext = 201,
  kInvalidHandle = 400,
  kNotFound = 500,
  kLaunchFailed = 719,
};

const char* ErrorText(int code) {
  switch (code) {
    case kSuccess: return "no error";
    case kInvalidValue: return "invalid argument";
    case kNotInitialized: return "initialization error";
    case kInvalidDevice: return "invalid device ordinal";
    case kInvalidImage: return "device kernel image is invalid";
    case kInvalidContext: return "invalid device context";
    case kInvalidHandle: return "invalid resource handle";
    case kNotFound: return "named symbol not found";
    case kLaunchFailed: return "unspecified launch failure";
    default: return nullptr;
  }
}

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "cuda-emulator: %s\n", message.c_str());
  return code;
}

// ---------------------------------------------------------------- contexts and memory

bool initialised = false;
int retained = 0;
char context_token;
thread_local void* current_context = nullptr;

bool ContextCurrent() { return current_context == &context_token && retained > 0; }

struct Allocation {
  void* base;
  size_t mapped;
  size_t size;
};
std::mutex memory_lock;
std::map<uintptr_t, Allocation> allocations;  // by device pointer

// The allocation holding [pointer, pointer + bytes), or null.
const Allocation* Find(uintptr_t pointer, size_t bytes) {
  std::lock_guard<std::mutex> lock(memory_lock);
  auto it = allocations.upper_bound(pointer);
  if (it == allocations.begin()) return nullptr;
  --it;
  if (pointer + bytes > it->first + it->second.size) return nullptr;
  return &it->second;
}

std::string Hex(uintptr_t p) {
  std::ostringstream s;
  s << "0x" << std::hex << p;
  return s.str();
}

// ---------------------------------------------------------------- fibers

extern "C" void hmrec_emu_switch(void** save, void* load);
asm(R"(
  .text
  .p2align 4
  .globl hmrec_emu_switch
  .hidden hmrec_emu_switch
  .type hmrec_emu_switch, @function
hmrec_emu_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size hmrec_emu_switch, .-hmrec_emu_switch
)");

constexpr size_t kStackBytes = 64 * 1024;
constexpr unsigned kMaxThreads = 1024;

struct Fiber {
  std::unique_ptr<unsigned char[]> stack;
  void* sp = nullptr;
  bool done = false;
};

enum class Mode { Fibers, Direct };

struct Launch {
  void (*invoke)(void**) = nullptr;
  void** arguments = nullptr;
  const char* name = "";
};

Launch launch;
Fiber fibers[kMaxThreads];
void* scheduler_sp = nullptr;
unsigned current_thread = 0;
Mode mode = Mode::Fibers;
std::string launch_error;

void SetThread(unsigned t) {
  current_thread = t;
  threadIdx.x = t % blockDim.x;
  threadIdx.y = (t / blockDim.x) % blockDim.y;
  threadIdx.z = t / (blockDim.x * blockDim.y);
}

[[noreturn]] void FiberMain() {
  launch.invoke(launch.arguments);
  fibers[current_thread].done = true;
  hmrec_emu_switch(&fibers[current_thread].sp, scheduler_sp);
  std::abort();
}

void StartFiber(unsigned t) {
  auto& f = fibers[t];
  if (!f.stack) f.stack.reset(new unsigned char[kStackBytes]);
  auto top = (reinterpret_cast<uintptr_t>(f.stack.get()) + kStackBytes) & ~uintptr_t{15};
  auto* sp = reinterpret_cast<uint64_t*>(top);
  *--sp = 0;                                           // as after a call: the entry sees rsp = 8 mod 16
  *--sp = reinterpret_cast<uint64_t>(&FiberMain);      // where the first switch returns to
  for (int i = 0; i < 6; i++) *--sp = 0;               // rbp, rbx, r12-r15
  *--sp = 0x037F00001F80ULL;                           // mxcsr 0x1F80, x87 control word 0x037F
  f.sp = sp;
  f.done = false;
}

void Resume(unsigned t) {
  SetThread(t);
  hmrec_emu_switch(&scheduler_sp, fibers[t].sp);
}

}  // namespace emu

static void __syncthreads() {
  using namespace emu;
  if (mode == Mode::Direct) {
    // Thread 0 of this block finished without a barrier: a barrier elsewhere is one not every thread reaches.
    if (launch_error.empty()) {
      launch_error = std::string(launch.name) + ": thread " + std::to_string(current_thread) +
                     " reached __syncthreads, thread 0 of its block did not";
    }
    return;
  }
  // The compiler may not keep shared memory or threadIdx in registers across the switch: other fibers
  // write them while this one waits.
  asm volatile("" ::: "memory");
  hmrec_emu_switch(&fibers[current_thread].sp, scheduler_sp);
  asm volatile("" ::: "memory");
}

namespace emu {

// Runs one block: thread 0 first; if it never waits at a barrier, the others run as plain calls, else every
// thread is a fiber and they advance barrier by barrier, round-robin in thread order.
void RunBlock(unsigned threads) {
  mode = Mode::Fibers;
  StartFiber(0);
  Resume(0);
  if (fibers[0].done) {
    mode = Mode::Direct;
    for (unsigned t = 1; t < threads && launch_error.empty(); t++) {
      SetThread(t);
      launch.invoke(launch.arguments);
    }
    return;
  }
  for (unsigned t = 1; t < threads; t++) StartFiber(t);
  for (unsigned first = 1;; first = 0) {
    for (unsigned t = first; t < threads; t++) {
      if (!fibers[t].done) Resume(t);
    }
    unsigned done = 0;
    for (unsigned t = 0; t < threads; t++) done += fibers[t].done ? 1 : 0;
    if (done == threads) return;
    if (done > 0) {
      launch_error = std::string(launch.name) + ": " + std::to_string(done) + " of " + std::to_string(threads) +
                     " threads finished while the others wait at __syncthreads";
      return;
    }
  }
}

// ---------------------------------------------------------------- kernels

template <typename T>
bool IsDevicePointer(T p) {
  return Find(reinterpret_cast<uintptr_t>(p), 0) != nullptr;
}

template <typename... A, size_t... I>
void CallWith(void (*kernel)(A...), void** p, std::index_sequence<I...>) {
  kernel(*static_cast<A*>(p[I])...);
}

// Checks that every pointer argument is device memory (no kernel takes a host pointer).
template <typename... A, size_t... I>
std::string CheckPointers(void (*)(A...), void** p, std::index_sequence<I...>) {
  std::string bad;
  auto check = [&](size_t i, auto value) {
    if constexpr (std::is_pointer_v<decltype(value)>) {
      if (!IsDevicePointer(value)) bad += (bad.empty() ? "" : ", ") + std::string("argument ") + std::to_string(i) + " (" + Hex(reinterpret_cast<uintptr_t>(value)) + ")";
    }
  };
  (check(I, *static_cast<A*>(p[I])), ...);
  return bad;
}

struct Kernel {
  const char* name;
  void (*invoke)(void**);
  std::string (*check)(void**);
};

template <typename F>
struct Arity;
template <typename... A>
struct Arity<void (*)(A...)> {
  static constexpr size_t value = sizeof...(A);
};

#define HMREC_KERNEL(k)                                                                                   \
  Kernel {                                                                                                \
    #k, [](void** p) { CallWith(&::k, p, std::make_index_sequence<Arity<decltype(&::k)>::value>{}); },    \
        [](void** p) { return CheckPointers(&::k, p, std::make_index_sequence<Arity<decltype(&::k)>::value>{}); } \
  }

const Kernel kernels[] = {
    HMREC_KERNEL(fill),         HMREC_KERNEL(add_row),       HMREC_KERNEL(sum_rows),     HMREC_KERNEL(bn_train),
    HMREC_KERNEL(bn_infer),     HMREC_KERNEL(bn_backward),   HMREC_KERNEL(relu_dropout), HMREC_KERNEL(relu),
    HMREC_KERNEL(multiply),     HMREC_KERNEL(copy_columns),  HMREC_KERNEL(extract_columns), HMREC_KERNEL(bce),
    HMREC_KERNEL(adamw),
};

// ---------------------------------------------------------------- NVRTC

constexpr char kPtxMarker[] = "// hmrec cuda-emulator module\n";

struct Program {
  std::string source;
  std::string log;
  bool compiled = false;
};

std::string ReadKernelsFile() {
  std::ifstream in(HMREC_KERNELS_PATH, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* fault = std::getenv("HMREC_CUDA_EMULATOR_FAULT");

}  // namespace emu

using namespace emu;

// ================================================================ the driver API

EXPORT int cuInit(unsigned flags) {
  if (flags != 0) return Fail(kInvalidValue, "cuInit: flags must be 0");
  initialised = true;
  return kSuccess;
}

EXPORT int cuDeviceGetCount(int* count) {
  if (!initialised) return kNotInitialized;
  *count = 1;
  return kSuccess;
}

EXPORT int cuDeviceGet(int* device, int ordinal) {
  if (!initialised) return kNotInitialized;
  if (ordinal != 0) return kInvalidDevice;
  *device = 0;
  return kSuccess;
}

EXPORT int cuDeviceGetName(char* name, int length, int device) {
  if (device != 0) return kInvalidDevice;
  std::snprintf(name, static_cast<size_t>(length), "%s", "HmRec CUDA emulator (CPU)");
  return kSuccess;
}

EXPORT int cuDeviceGetAttribute(int* value, int attribute, int device) {
  if (device != 0) return kInvalidDevice;
  switch (attribute) {
    case 75: *value = 9; return kSuccess;  // compute capability major
    case 76: *value = 0; return kSuccess;  // compute capability minor
    default: return Fail(kInvalidValue, "cuDeviceGetAttribute: attribute " + std::to_string(attribute) + " is not emulated");
  }
}

EXPORT int cuDevicePrimaryCtxRetain(void** context, int device) {
  if (!initialised) return kNotInitialized;
  if (device != 0) return kInvalidDevice;
  retained++;
  *context = &context_token;
  return kSuccess;
}

EXPORT int cuDevicePrimaryCtxRelease_v2(int device) {
  if (device != 0) return kInvalidDevice;
  if (retained == 0) return Fail(kInvalidContext, "cuDevicePrimaryCtxRelease: the context is not retained");
  retained--;
  return kSuccess;
}

EXPORT int cuCtxSetCurrent(void* context) {
  if (context != nullptr && context != &context_token) return Fail(kInvalidContext, "cuCtxSetCurrent: unknown context");
  current_context = context;
  return kSuccess;
}

EXPORT int cuCtxSynchronize() {
  return ContextCurrent() ? kSuccess : Fail(kInvalidContext, "cuCtxSynchronize: no current context on this thread");
}

EXPORT int cuMemAlloc_v2(uintptr_t* pointer, size_t bytes) {
  if (!ContextCurrent()) return Fail(kInvalidContext, "cuMemAlloc: no current context on this thread");
  if (bytes == 0) return kInvalidValue;
  auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto rounded = (bytes + 255) / 256 * 256;
  auto pages = (rounded + page - 1) / page;
  auto mapped = (pages + 1) * page;
  void* base = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return 2;  // CUDA_ERROR_OUT_OF_MEMORY
  auto* guard = static_cast<unsigned char*>(base) + pages * page;
  mprotect(guard, page, PROT_NONE);
  auto device = reinterpret_cast<uintptr_t>(guard) - rounded;
  std::memset(reinterpret_cast<void*>(device), 0xA5, rounded);  // fresh device memory is not zero
  {
    std::lock_guard<std::mutex> lock(memory_lock);
    allocations[device] = Allocation{base, mapped, bytes};
  }
  *pointer = device;
  return kSuccess;
}

EXPORT int cuMemFree_v2(uintptr_t pointer) {
  if (!ContextCurrent()) return Fail(kInvalidContext, "cuMemFree: no current context on this thread");
  std::lock_guard<std::mutex> lock(memory_lock);
  auto it = allocations.find(pointer);
  if (it == allocations.end()) return Fail(kInvalidValue, "cuMemFree: " + Hex(pointer) + " is not an allocation");
  munmap(it->second.base, it->second.mapped);
  allocations.erase(it);
  return kSuccess;
}

static int CheckRange(const char* what, uintptr_t pointer, size_t bytes) {
  if (!ContextCurrent()) return Fail(kInvalidContext, std::string(what) + ": no current context on this thread");
  if (Find(pointer, bytes) == nullptr) {
    return Fail(kInvalidValue, std::string(what) + ": " + std::to_string(bytes) + " bytes at " + Hex(pointer) + " are not inside one allocation");
  }
  return kSuccess;
}

EXPORT int cuMemcpyHtoD_v2(uintptr_t destination, const void* source, size_t bytes) {
  if (int r = CheckRange("cuMemcpyHtoD", destination, bytes)) return r;
  std::memcpy(reinterpret_cast<void*>(destination), source, bytes);
  return kSuccess;
}

EXPORT int cuMemcpyDtoH_v2(void* destination, uintptr_t source, size_t bytes) {
  if (int r = CheckRange("cuMemcpyDtoH", source, bytes)) return r;
  std::memcpy(destination, reinterpret_cast<const void*>(source), bytes);
  return kSuccess;
}

EXPORT int cuMemcpyDtoD_v2(uintptr_t destination, uintptr_t source, size_t bytes) {
  if (int r = CheckRange("cuMemcpyDtoD (source)", source, bytes)) return r;
  if (int r = CheckRange("cuMemcpyDtoD (destination)", destination, bytes)) return r;
  std::memmove(reinterpret_cast<void*>(destination), reinterpret_cast<const void*>(source), bytes);
  return kSuccess;
}

EXPORT int cuMemsetD32_v2(uintptr_t destination, unsigned value, size_t count) {
  if (int r = CheckRange("cuMemsetD32", destination, count * 4)) return r;
  auto* p = reinterpret_cast<unsigned*>(destination);
  for (size_t i = 0; i < count; i++) p[i] = value;
  return kSuccess;
}

struct Module {
  int loaded = 1;
};

EXPORT int cuModuleLoadData(Module** module, const void* image) {
  if (!ContextCurrent()) return Fail(kInvalidContext, "cuModuleLoadData: no current context on this thread");
  if (std::strncmp(static_cast<const char*>(image), kPtxMarker, sizeof kPtxMarker - 1) != 0) {
    return Fail(kInvalidImage, "cuModuleLoadData: the image is not the emulator's NVRTC output");
  }
  *module = new Module();
  return kSuccess;
}

EXPORT int cuModuleUnload(Module* module) {
  if (module == nullptr || module->loaded != 1) return kInvalidHandle;
  module->loaded = 0;
  delete module;
  return kSuccess;
}

EXPORT int cuModuleGetFunction(const Kernel** function, Module* module, const char* name) {
  if (module == nullptr || module->loaded != 1) return kInvalidHandle;
  for (const auto& k : kernels) {
    if (std::strcmp(k.name, name) == 0) {
      *function = &k;
      return kSuccess;
    }
  }
  return kNotFound;
}

EXPORT int cuLaunchKernel(const Kernel* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                          unsigned shared, void* stream, void** parameters, void** extra) {
  if (!ContextCurrent()) return Fail(kInvalidContext, "cuLaunchKernel: no current context on this thread");
  if (function == nullptr) return kInvalidHandle;
  auto threads = static_cast<unsigned long long>(bx) * by * bz;
  if (gx == 0 || gy == 0 || gz == 0 || threads == 0 || threads > kMaxThreads || bz > 64) {
    return Fail(kInvalidValue, std::string("cuLaunchKernel ") + function->name + ": bad grid or block");
  }
  if (shared != 0 || stream != nullptr || extra != nullptr || parameters == nullptr) {
    return Fail(kInvalidValue, std::string("cuLaunchKernel ") + function->name + ": dynamic shared memory, streams and extra are not emulated; parameters are required");
  }
  auto bad = function->check(parameters);
  if (!bad.empty()) return Fail(kInvalidValue, std::string("cuLaunchKernel ") + function->name + ": not device pointers: " + bad);
  if (fault != nullptr && std::string(fault) == std::string("skip:") + function->name) return kSuccess;
  launch = Launch{function->invoke, parameters, function->name};
  launch_error.clear();
  gridDim = {gx, gy, gz};
  blockDim = {bx, by, bz};
  for (unsigned z = 0; z < gz; z++)
    for (unsigned y = 0; y < gy; y++)
      for (unsigned x = 0; x < gx; x++) {
        blockIdx = {x, y, z};
        RunBlock(static_cast<unsigned>(threads));
        if (!launch_error.empty()) return Fail(kLaunchFailed, launch_error);
      }
  return kSuccess;
}

EXPORT int cuGetErrorString(int result, const char** text) {
  *text = ErrorText(result);
  return *text == nullptr ? kInvalidValue : kSuccess;
}

// ================================================================ cuBLAS

enum : int { kBlasSuccess = 0, kBlasNotInitialized = 1, kBlasInvalidValue = 7 };

struct BlasHandle {
  int math_mode = 0;
};

EXPORT int cublasCreate_v2(BlasHandle** handle) {
  if (!ContextCurrent()) return Fail(kBlasNotInitialized, "cublasCreate: no current context on this thread");
  *handle = new BlasHandle();
  return kBlasSuccess;
}

EXPORT int cublasDestroy_v2(BlasHandle* handle) {
  if (handle == nullptr) return kBlasNotInitialized;
  delete handle;
  return kBlasSuccess;
}

EXPORT int cublasSetMathMode(BlasHandle* handle, int mode) {
  if (handle == nullptr) return kBlasNotInitialized;
  if (mode < 0 || mode > 3) return kBlasInvalidValue;
  handle->math_mode = mode;
  return kBlasSuccess;
}

// Column-major C = alpha op(A) op(B) + beta C, as cuBLAS defines it (C is not read when beta is 0).
EXPORT int cublasSgemm_v2(BlasHandle* handle, int transa, int transb, int m, int n, int k, const float* alpha, const float* a, int lda,
                          const float* b, int ldb, const float* beta, float* c, int ldc) {
  if (handle == nullptr) return kBlasNotInitialized;
  if (!ContextCurrent()) return Fail(kBlasNotInitialized, "cublasSgemm: no current context on this thread");
  if (transa < 0 || transa > 1 || transb < 0 || transb > 1 || m < 0 || n < 0 || k < 0) return kBlasInvalidValue;
  const bool ta = transa == 1, tb = transb == 1;
  auto rows_a = ta ? k : m, columns_a = ta ? m : k;
  auto rows_b = tb ? n : k, columns_b = tb ? k : n;
  if (lda < (rows_a > 1 ? rows_a : 1) || ldb < (rows_b > 1 ? rows_b : 1) || ldc < (m > 1 ? m : 1)) {
    return Fail(kBlasInvalidValue, "cublasSgemm: a leading dimension is smaller than its matrix's rows");
  }
  auto inside = [](const float* p, long long ld, long long rows, long long columns) {
    return rows == 0 || columns == 0 || Find(reinterpret_cast<uintptr_t>(p), static_cast<size_t>(((columns - 1) * ld + rows) * 4)) != nullptr;
  };
  if (!inside(a, lda, rows_a, columns_a) || !inside(b, ldb, rows_b, columns_b) || !inside(c, ldc, m, n)) {
    return Fail(kBlasInvalidValue, "cublasSgemm: a matrix does not fit inside its device allocation");
  }
  if (m == 0 || n == 0) return kBlasSuccess;
  // op(A) as a dense m x k column-major copy, then column by column of C with contiguous inner loops; each
  // element is summed over l in order.
  std::vector<float> op_a(static_cast<size_t>(m) * k);
  for (int l = 0; l < k; l++)
    for (int i = 0; i < m; i++)
      op_a[i + static_cast<size_t>(l) * m] = ta ? a[l + static_cast<long long>(i) * lda] : a[i + static_cast<long long>(l) * lda];
  std::vector<float> column(static_cast<size_t>(m));
  for (int j = 0; j < n; j++) {
    std::fill(column.begin(), column.end(), 0.0f);
    for (int l = 0; l < k; l++) {
      const float bv = tb ? b[j + static_cast<long long>(l) * ldb] : b[l + static_cast<long long>(j) * ldb];
      const float* av = op_a.data() + static_cast<size_t>(l) * m;
      for (int i = 0; i < m; i++) column[i] += av[i] * bv;
    }
    float* out = c + static_cast<long long>(j) * ldc;
    for (int i = 0; i < m; i++) out[i] = *beta == 0 ? *alpha * column[i] : *alpha * column[i] + *beta * out[i];
  }
  return kBlasSuccess;
}

EXPORT const char* cublasGetStatusString(int status) {
  switch (status) {
    case kBlasSuccess: return "CUBLAS_STATUS_SUCCESS";
    case kBlasNotInitialized: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case kBlasInvalidValue: return "CUBLAS_STATUS_INVALID_VALUE";
    default: return "CUBLAS_STATUS_UNKNOWN";
  }
}

// ================================================================ NVRTC

enum : int { kRtcSuccess = 0, kRtcInvalidInput = 3, kRtcInvalidProgram = 4, kRtcInvalidOption = 5, kRtcCompilation = 6 };

EXPORT int nvrtcCreateProgram(Program** program, const char* source, const char* name, int headers, const char* const*, const char* const*) {
  if (program == nullptr || source == nullptr || headers != 0) return kRtcInvalidInput;
  (void)name;
  *program = new Program{source, "", false};
  return kRtcSuccess;
}

EXPORT int nvrtcCompileProgram(Program* program, int count, const char* const* options) {
  if (program == nullptr) return kRtcInvalidProgram;
  bool architecture = false;
  for (int i = 0; i < count; i++) {
    std::string o = options[i];
    if (o == "--gpu-architecture=compute_90") {
      architecture = true;
    } else if (o.rfind("--gpu-architecture=", 0) == 0) {
      program->log = "the emulated device is compute capability 9.0, not " + o;
      return kRtcInvalidOption;
    } else if (o != "--std=c++17") {
      program->log = "option not emulated: " + o;
      return kRtcInvalidOption;
    }
  }
  if (!architecture) {
    program->log = "no --gpu-architecture";
    return kRtcInvalidOption;
  }
  if (fault != nullptr && std::strcmp(fault, "compile") == 0) {
    program->log = "hmrec_kernels.cu(1): error: the emulator was told to fail the compilation";
    return kRtcCompilation;
  }
  if (program->source != ReadKernelsFile()) {
    program->log = "the source is not the Kernels.cu this emulator was built from (" HMREC_KERNELS_PATH ")";
    return kRtcCompilation;
  }
  program->compiled = true;
  return kRtcSuccess;
}

EXPORT int nvrtcGetPTXSize(Program* program, size_t* size) {
  if (program == nullptr || !program->compiled) return kRtcInvalidProgram;
  *size = sizeof kPtxMarker;
  return kRtcSuccess;
}

EXPORT int nvrtcGetPTX(Program* program, char* ptx) {
  if (program == nullptr || !program->compiled) return kRtcInvalidProgram;
  std::memcpy(ptx, kPtxMarker, sizeof kPtxMarker);
  return kRtcSuccess;
}

EXPORT int nvrtcGetProgramLogSize(Program* program, size_t* size) {
  if (program == nullptr) return kRtcInvalidProgram;
  *size = program->log.size() + 1;
  return kRtcSuccess;
}

EXPORT int nvrtcGetProgramLog(Program* program, char* log) {
  if (program == nullptr) return kRtcInvalidProgram;
  std::memcpy(log, program->log.c_str(), program->log.size() + 1);
  return kRtcSuccess;
}

EXPORT int nvrtcDestroyProgram(Program** program) {
  if (program == nullptr || *program == nullptr) return kRtcInvalidProgram;
  delete *program;
  *program = nullptr;
  return kRtcSuccess;
}

EXPORT const char* nvrtcGetErrorString(int result) {
  switch (result) {
    case kRtcSuccess: return "NVRTC_SUCCESS";
    case kRtcInvalidInput: return "NVRTC_ERROR_INVALID_INPUT";
    case kRtcInvalidProgram: return "NVRTC_ERROR_INVALID_PROGRAM";
    case kRtcInvalidOption: return "NVRTC_ERROR_INVALID_OPTION";
    case kRtcCompilation: return "NVRTC_ERROR_COMPILATION";
    default: return "NVRTC_ERROR_UNKNOWN";
  }
}
