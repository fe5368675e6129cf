// kernel-ext/RedLeaf.Cli: one row of the command table (CommandTable): how a command is called and what
// it does. The description is written once, in the README's words, with `code` in backticks: the README
// keeps them, `redleaf help` drops them.
namespace RedLeaf.Cli;

/// <param name="Usage">The command line after `redleaf`, e.g. "fsck IMAGE".</param>
/// <param name="Description">What it does, one paragraph; `backticks` mark code.</param>
public sealed record CommandDescription(string Usage, string Description);
