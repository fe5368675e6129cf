// domains/Interfaces/Test: exchangeable data for the kernel's test domains (dom_a .. dom_c).
namespace RedLeaf.Interfaces.Test;

/// <summary>Two numbers: the smallest useful thing to put in an RRef.</summary>
public struct Payload
{
    public long A;
    public long B;

    public Payload(long a, long b) { A = a; B = b; }
}
