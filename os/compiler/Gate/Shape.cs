// os/compiler/Gate: a type as it appears in a signature, decoded just far enough for the gate:
// how to name it in a message, a canonical text that compares equal only for the same type, and
// whether a pointer, a function pointer or a pinned local hides anywhere inside it.
namespace RedLeaf.Os.Compiler.Gate;

internal sealed record Shape(string Display, string Canonical, bool Pointer = false, bool FunctionPointer = false, bool Pinned = false)
{
    /// <summary>A shape built from parts carries every flag of its parts.</summary>
    public static Shape Compose(string display, string canonical, IEnumerable<Shape> parts)
    {
        bool p = false, f = false, pin = false;
        foreach (var s in parts) { p |= s.Pointer; f |= s.FunctionPointer; pin |= s.Pinned; }
        return new Shape(display, canonical, p, f, pin);
    }

    public bool Unsafe => Pointer || FunctionPointer || Pinned;

    /// <summary>Why the shape is refused, in a student's words.</summary>
    public string UnsafeReason =>
        FunctionPointer ? $"{Display} is a function pointer type (delegate*), which can call any address"
        : Pointer ? $"{Display} contains a pointer type, which reads and writes memory without checks"
        : $"{Display} pins memory to take a pointer to it (fixed)";
}
