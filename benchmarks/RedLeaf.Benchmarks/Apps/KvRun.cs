// benchmarks/RedLeaf.Benchmarks/Apps: one key-value store set-up on the ixgbe-like NIC model, as the apps suite and
// its tests use it: a kernel, the NIC with an unpaced generator whose frames carry the clients' requests
// (KvWorkload: a GET share over 65,536 Zipf-distributed keys), its sink told each client's reply header (source and
// destination swapped) and checking every reply against the host's model (KvModel), and the store loaded in one of
// the driver stacks' configurations (driver: linked with the NIC driver; domain: through the driver's proxy;
// shadow: through the net shadow). The clients send a request again when its reply never came (RetransmitQueue), unless
// told not to.
using Domains.Workloads.Kv;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Workloads;

namespace RedLeaf.Benchmarks.Apps;

public sealed class KvRun : NicAppRun
{
    public const int Keys = 65536, Clients = 1024, RingEntries = 512, ReceiveBuffers = 1024;
    public const int Partitions = 8, SlotsPerPartition = 16384; // twice as many slots as keys
    public const int PacketBytes = KvFrame.FrameBytes;

    public KvRun(string config, int batch, double getShare, bool retransmit = true) : base("the key-value store", PacketBytes, Clients, RingEntries)
    {
        Build(() =>
        {
            Workload = new KvWorkload(Keys, getShare) { Retransmits = retransmit ? new RetransmitQueue(Clients) : null };
            Model = new KvModel(Workload);
            Device.Generator.Requests = Workload;
            Device.Sink.ExpectHeaders(ReplyHeaders());
            Device.Sink.ExpectReplies(Model);
            Store = Load(config, "workloads/kv", "workloads/kv_nic", "shadow/net_replay").Get<IKvBench>();
            Setup(batch);
        });
    }

    public KvWorkload Workload { get; private set; } = null!;
    public KvModel Model { get; private set; } = null!;
    public IKvBench Store { get; private set; } = null!;

    /// <summary>Per client, the header its replies must carry: its request's, source and destination swapped.</summary>
    public static byte[][] ReplyHeaders() => Enumerable.Range(0, Clients).Select(f =>
    {
        var h = PacketFormat.Header(f, PacketBytes);
        KvFrame.SwapAddresses(h);
        return h;
    }).ToArray();

    /// <summary>(Re)starts the store empty, with batches of <paramref name="batch"/>.</summary>
    public void Setup(int batch) => Check(Store.Setup(batch, ReceiveBuffers, Partitions, SlotsPerPartition));

    /// <summary>Serves at least <paramref name="requests"/> requests; returns how many.</summary>
    public long Serve(long requests) => Check(Store.Serve(requests));

    public long Stored => Check(Store.Stored());
}
