using System.Runtime.Intrinsics.X86;
using HmRec.Shared.Native;

namespace HmRec.Training.Gpu.Tests.Tensors;

public sealed class OpenBlasCoreTests
{
    [Theory]
    [InlineData("GenuineIntel", true, true, "SKYLAKEX")]
    [InlineData("GenuineIntel", false, true, "HASWELL")]
    [InlineData("GenuineIntel", false, false, null)]
    [InlineData("AuthenticAMD", true, true, null)]
    [InlineData("AuthenticAMD", false, true, null)]
    public void For_IntelWithAvx_AsksForTheWidestKernels_OtherVendorsAreLeftToOpenBlas(string vendor, bool avx512, bool avx2Fma, string? expected)
    {
        Assert.Equal(expected, OpenBlasCore.For(vendor, avx512, avx2Fma));
    }

    [IntelAvx2Fact]
    public void CpuBackend_OnAnIntelProcessorWithAvx2_UsesAvx2OrWiderKernels()
    {
        // Debian's OpenBLAS 0.3.21 falls back to Prescott (SSE3) on Intel models it does not know.
        using var backend = new CpuBackend(1);

        var chosen = NativeEnvironment.Get(OpenBlasCore.Variable);
        Assert.False(string.IsNullOrEmpty(chosen));
        Assert.Contains($" {chosen} ", backend.Config, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class IntelAvx2FactAttribute : FactAttribute
    {
        public IntelAvx2FactAttribute()
        {
            if (!(Avx2.IsSupported && Fma.IsSupported && X86Base.IsSupported && X86Base.CpuId(0, 0) is var (_, ebx, _, _) && ebx == 0x756e6547))
            {
                Skip = "needs an Intel processor with AVX2 and FMA";
            }
        }
    }
}
