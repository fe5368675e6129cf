// kernel-ext/RedLeaf.Notebook/Views: one domain as a notebook shows it: state, what it exports and
// was granted, the shared-heap objects it owns, and its crash history. A kernel-owned picture taken
// when asked: it holds no object of the domain's, so showing it never keeps a crashed domain alive.
using RedLeaf.Notebook.Html;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class DomainView : IRichView
{
    internal DomainView(Domain domain, HeapSnapshot heap)
    {
        Name = domain.Name;
        Id = domain.Id;
        Status = domain.Status;
        Restarts = domain.Restarts;
        StandbyRestarts = domain.StandbyRestarts;
        Exports = domain.Export?.Interface.Name;
        Granted = domain.GrantedInterfaces;
        Image = $"{domain.Image.Sha256[..12]} ({domain.Image.Assembly.Length} bytes, signed by {domain.Image.Signature?.KeyId ?? "nobody"})";
        Owned = heap.Nodes.Where(n => n.Owner == domain.Id).ToArray();
        Crashes = domain.Crashes;
        PrivateBytesAllocated = domain.PrivateBytesAllocated;
    }

    public string Name { get; }
    /// <summary>Id of the current instance (each restart gets a new one).</summary>
    public int Id { get; }
    public DomainStatus Status { get; }
    public int Restarts { get; }
    /// <summary>Of the restarts, those that started the standby the kernel had prepared (Domain.StandbyRestarts).</summary>
    public int StandbyRestarts { get; }
    /// <summary>The interface its entry point returned, if any.</summary>
    public string? Exports { get; }
    public IReadOnlyList<string> Granted { get; }
    public string Image { get; }
    /// <summary>Shared-heap objects this instance owns right now.</summary>
    public IReadOnlyList<HeapNode> Owned { get; }
    public IReadOnlyList<CrashRecord> Crashes { get; }
    /// <summary>Private (managed-heap) bytes this instance has allocated, as the kernel's allocation meter
    /// charged them when the view was taken (Domain.PrivateBytesAllocated: sampled every 10 ms or so, so
    /// the newest few milliseconds' allocation may not be counted yet).</summary>
    public long PrivateBytesAllocated { get; }

    internal static Markup.RawHtml StatusBadge(DomainStatus s) => Badge(s.ToString(), s switch
    {
        DomainStatus.Running => "#2e7d32",
        DomainStatus.Faulted => "#ef6c00",
        _ => "#c62828",
    });

    public string ToHtml()
    {
        var body = Facts(
            ("status", StatusBadge(Status)),
            ("instance", $"#{Id}{(Restarts > 0 ? $" (restarted {Restarts}x, {StandbyRestarts} from a standby)" : "")}"),
            ("exports", Exports ?? "nothing"),
            ("granted", Granted.Count == 0 ? "nothing" : string.Join(", ", Granted)),
            ("image", Image),
            ("owns", $"{Owned.Count} objects, {Owned.Sum(n => n.Bytes)} bytes"),
            ("allocated", $"{PrivateBytesAllocated:N0} private bytes"));
        if (Owned.Count > 0)
            body += Table(new[] { "RRef", "type", "kind", "bytes", "borrowed by" },
                Owned.Take(50).Select(n => new object?[] { $"#{n.Index}", n.Type, n.Kind, n.Bytes, n.Borrows > 0 ? n.Borrower : "" }));
        if (Crashes.Count > 0)
            body += "<div style=\"margin-top:4px\">crashes</div>" + Table(new[] { "instance", "kind", "reason", "freed" },
                Crashes.Select(c => new object?[] { $"#{c.InstanceId}", c.Kind, c.Reason, $"{c.FreedObjects} objects, {c.FreedBytes} bytes" }));
        return Block("domain", $"Domain {Name}", body);
    }

    public override string ToString()
    {
        var s = $"Domain {Name}#{Id} {Status}: exports {Exports ?? "nothing"}, granted {(Granted.Count == 0 ? "nothing" : string.Join(", ", Granted))}, " +
                $"owns {Owned.Count} objects ({Owned.Sum(n => n.Bytes)} bytes), {Crashes.Count} crashes";
        return Crashes.Count == 0 ? s : s + Environment.NewLine + string.Join(Environment.NewLine, Crashes.Select(c => "  " + c));
    }
}
