// domains/test/spinner: misbehaves at run time in the ways only run time shows: Run(0) spins forever,
// Run(1) recurses forever, Run(2) spins inside a catch-all that tries to swallow the kernel's stop,
// Run(3) asks for a huge array. The kernel must contain each one.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.Spinner;

public static class Entry
{
    [DomainEntry]
    public static IHostile Start() => new Spinner();
}

internal sealed class Spinner : IHostile
{
    private long _spins;

    public RpcResult<long> Run(long argument)
    {
        switch (argument)
        {
            case 0:
                while (true) _spins++;
            case 1:
                return Recurse(1);
            case 2:
                while (true)
                {
                    try { while (true) _spins++; }
                    catch (Exception) { _spins = -1; } // tries to swallow the stop and go on spinning
                    catch { _spins = -2; }
                }
            default:
                var big = new long[int.MaxValue / 2];
                return big.Length;
        }
    }

    private long Recurse(long depth) => Recurse(depth + 1) + 1;
}
