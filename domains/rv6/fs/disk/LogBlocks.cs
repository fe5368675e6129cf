// domains/rv6/fs/disk: logheader.block[LOGSIZE] as a fixed-size value (an inline array).
using System.Runtime.CompilerServices;

namespace Domains.Rv6.Fs.Disk;

[InlineArray(Layout.LOGSIZE)]
public struct LogBlocks
{
    private int _first;
}
