// domains/rv6/user/stressfs: xv6's user/stressfs.c: five processes at once each write a file of 20
// 512-byte blocks (stressfs0..stressfs4), read it back, and wait for their child. xv6 makes the five
// with a chain of forks (process i forks process i+1); rv6 spawns the chain instead: `stressfs` is
// process 0 and starts `stressfs 1`, which starts `stressfs 2`, and so on (the argument is internal).
// Like xv6's, it leaves its files behind and does not check what it reads: it is a stress load.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Stressfs : UserProgram
{
    public Stressfs(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        int i = argv.Length > 1 ? Atoi(argv[1]) : 0;
        var data = new byte[512];
        Array.Fill(data, (byte)'a');

        if (i == 0) Printf("stressfs starting\n");
        if (i < 4 && Spawn(new[] { argv[0], (i + 1).ToString() }) < 0) Printf($"stressfs: spawn {i + 1} failed\n");

        Printf($"write {i}\n");

        string path = "stressfs" + (char)('0' + i);
        int fd = Open(path, O_CREATE | O_RDWR);
        for (int j = 0; j < 20; j++) Write(fd, data);
        Close(fd);

        Printf("read\n");

        fd = Open(path, O_RDONLY);
        for (int j = 0; j < 20; j++) Read(fd, data);
        Close(fd);

        Wait();
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Stressfs(sys);
}
