// domains/Interfaces/Workloads: a 64-byte payload (the size of the paper's smallest packet).
using System.Runtime.CompilerServices;

namespace RedLeaf.Interfaces.Workloads;

[InlineArray(8)]
public struct Payload64
{
    private long _word;
}
