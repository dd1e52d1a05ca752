namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>NVRTC (libnvrtc.so.13): compiles the kernels' CUDA C++ to PTX at run time; every call returns an nvrtcResult (0 = success).</summary>
internal static unsafe partial class NativeMethods
{
    public const string Nvrtc = "nvrtc";

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcCreateProgram")]
    public static partial int NvrtcCreateProgram(out IntPtr program, byte* source, byte* name, int headers, byte** headerSources, byte** headerNames);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcCompileProgram")]
    public static partial int NvrtcCompileProgram(IntPtr program, int optionCount, byte** options);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcGetPTXSize")]
    public static partial int NvrtcGetPtxSize(IntPtr program, out nuint size);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcGetPTX")]
    public static partial int NvrtcGetPtx(IntPtr program, byte* ptx);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcGetProgramLogSize")]
    public static partial int NvrtcGetProgramLogSize(IntPtr program, out nuint size);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcGetProgramLog")]
    public static partial int NvrtcGetProgramLog(IntPtr program, byte* log);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcDestroyProgram")]
    public static partial int NvrtcDestroyProgram(ref IntPtr program);

    [LibraryImport(Nvrtc, EntryPoint = "nvrtcGetErrorString")]
    public static partial IntPtr NvrtcGetErrorString(int result);
}
