// os/kernel/Domains: a domain's next instance, prepared ahead of a restart: its image admitted
// (signature and checks), loaded into a fresh collectible context, and its methods compiled by the JIT.
// Shadow-managed domains keep one ready (the kernel prepares it in the background when it grants the
// restart right, and again after each restart), so a restart only binds grants and runs the entry
// point: what RedLeaf's shadows need to bring a driver back within a millisecond.
using System.Reflection;
using System.Runtime.CompilerServices;

namespace RedLeaf.Os.Domains;

internal sealed record Standby(DomainLoadContext Context, Assembly Assembly, ImageFacts Facts)
{
    /// <summary>Loads the admitted image into a new context and compiles every method it can ahead of use.</summary>
    public static Standby Prepare(Domain d, ImageFacts facts)
    {
        var context = new DomainLoadContext($"{d.Name}#standby");
        var asm = context.LoadFromStream(new MemoryStream(d.Image.Assembly, writable: false));
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var type in asm.GetTypes())
        {
            if (type.ContainsGenericParameters) continue;
            foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (m.IsAbstract || m.ContainsGenericParameters) continue;
                try { RuntimeHelpers.PrepareMethod(m.MethodHandle); }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or TypeLoadException) { } // compiled at first call instead
            }
        }
        return new Standby(context, asm, facts);
    }
}
