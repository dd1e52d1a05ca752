using System.Runtime.Intrinsics.X86;

namespace HmRec.Shared.Native;

/// <summary>
/// Which of its kernels a DYNAMIC_ARCH OpenBLAS uses. It picks them from the processor's model number when it is
/// loaded, and one that does not know the model falls back to its slowest (Prescott, SSE3): Debian 12's 0.3.21
/// does so on Intel's Emerald Rapids, where the two-tower network then trains much slower on the CPU. On Intel
/// processors with AVX-512 (F, BW, DQ, VL, CD) this sets <c>OPENBLAS_CORETYPE=SKYLAKEX</c>, with AVX2 and FMA
/// alone <c>HASWELL</c>: the kernels OpenBLAS itself picks for every such model it knows. Other vendors are left to
/// OpenBLAS, and a <c>OPENBLAS_CORETYPE</c> the user set is kept.
/// </summary>
public static class OpenBlasCore
{
    public const string Variable = "OPENBLAS_CORETYPE";

    /// <summary>The kernels to ask for on a processor of this vendor and instruction sets, or null to leave the choice to OpenBLAS.</summary>
    public static string? For(string vendor, bool avx512, bool avx2Fma) =>
        vendor != "GenuineIntel" ? null : avx512 ? "SKYLAKEX" : avx2Fma ? "HASWELL" : null;

    /// <summary>Sets the variable in the C environment for this processor (before OpenBLAS is loaded).</summary>
    public static void Prepare()
    {
        if (For(Vendor(), Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported && Avx512CD.IsSupported,
                Avx2.IsSupported && Fma.IsSupported) is { } core)
        {
            _ = NativeEnvironment.SetDefault(Variable, core);
        }
    }

    private static string Vendor()
    {
        if (!X86Base.IsSupported)
        {
            return "";
        }
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> name = stackalloc byte[12];
        BitConverter.TryWriteBytes(name, ebx);
        BitConverter.TryWriteBytes(name[4..], edx);
        BitConverter.TryWriteBytes(name[8..], ecx);
        return Encoding.ASCII.GetString(name);
    }
}
