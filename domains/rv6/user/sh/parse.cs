// domains/rv6/user/sh: the shell's parser, xv6's user/sh.c "Parsing" and "Constructors" sections: a
// recursive-descent parser over one line, building the same five kinds of command. Each command also
// keeps the span of the line it was parsed from, so the shell can hand a compound command that must
// run as its own process (a pipeline stage, a background job) to `sh -c "<its text>"`: rv6 has no
// fork to run a subtree of the parse in a copy of the shell. A command's span is all of its text as
// typed: its redirections, and a block's parentheses.
//
//   line     = pipe { "&" } [ ";" line ]
//   pipe     = exec [ "|" pipe ]
//   exec     = "(" line ")" redirs  |  redirs { word redirs }
//   redirs   = { ("<" | ">" | ">>") word }
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.User;

/// <summary>A parsed command (xv6's struct cmd); <see cref="Start"/>..<see cref="End"/> is its text in the line.</summary>
public abstract class Cmd
{
    public int Start, End;
}

/// <summary>EXEC: a program and its arguments.</summary>
public sealed class ExecCmd : Cmd
{
    public readonly List<string> Argv = new();
}

/// <summary>REDIR: run Cmd with descriptor Fd replaced by File opened with Mode.</summary>
public sealed class RedirCmd : Cmd
{
    public Cmd Cmd = null!;
    public string File = "";
    public int Mode, Fd;
}

/// <summary>PIPE: Left's output into Right's input.</summary>
public sealed class PipeCmd : Cmd
{
    public Cmd Left = null!, Right = null!;
}

/// <summary>LIST: Left, then Right (";").</summary>
public sealed class ListCmd : Cmd
{
    public Cmd Left = null!, Right = null!;
}

/// <summary>BACK: Cmd without waiting for it ("&").</summary>
public sealed class BackCmd : Cmd
{
    public Cmd Cmd = null!;
}

/// <summary>What xv6's sh panics with on bad syntax; rv6's shell reports it and reads the next line.</summary>
public sealed class SyntaxException : Exception
{
    public SyntaxException(string message) : base(message) { }
}

public sealed class Parser
{
    private const int MAXARGS = 10;
    private const string whitespace = " \t\r\n\v";
    private const string symbols = "<|>&;()";

    private readonly string s;  // the line
    private readonly int es;    // its end: the line's length, or its first NUL
    private int ps;             // where parsing is

    private Parser(string line)
    {
        s = line;
        int nul = line.IndexOf('\0');
        es = nul < 0 ? line.Length : nul;
    }

    /// <summary>xv6's parsecmd: the command of a whole line; throws SyntaxException as xv6 panics.</summary>
    public static Cmd Parse(string line)
    {
        var p = new Parser(line);
        var cmd = p.parseline();
        p.peek("");
        if (p.ps != p.es) throw new SyntaxException($"leftovers: {line[p.ps..p.es]}\nsyntax");
        return cmd;
    }

    /// <summary>The text of <paramref name="cmd"/> in <paramref name="line"/>.</summary>
    public static string Text(string line, Cmd cmd) => line[cmd.Start..cmd.End];

    private char At(int i) => i < es ? s[i] : '\0';

    private void SkipWhite()
    {
        while (ps < es && whitespace.Contains(s[ps])) ps++;
    }

    // gettoken: the next token's kind ('a' a word, '+' for ">>", else the symbol, 0 at the end) and its span.
    private int gettoken(out int q, out int eq)
    {
        SkipWhite();
        q = ps;
        int ret = At(ps);
        switch (At(ps))
        {
            case '\0':
                break;
            case '|':
            case '(':
            case ')':
            case ';':
            case '&':
            case '<':
                ps++;
                break;
            case '>':
                ps++;
                if (At(ps) == '>')
                {
                    ret = '+';
                    ps++;
                }
                break;
            default:
                ret = 'a';
                while (ps < es && !whitespace.Contains(s[ps]) && !symbols.Contains(s[ps])) ps++;
                break;
        }
        eq = ps;
        SkipWhite();
        return ret;
    }

    private int gettoken() => gettoken(out _, out _);

    // peek: is the next non-blank character one of toks?
    private bool peek(string toks)
    {
        SkipWhite();
        return At(ps) != '\0' && toks.Contains(At(ps));
    }

    private Cmd parseline()
    {
        Cmd cmd = parsepipe();
        while (peek("&"))
        {
            gettoken(out _, out int end);
            cmd = new BackCmd { Cmd = cmd, Start = cmd.Start, End = end };
        }
        if (peek(";"))
        {
            gettoken();
            var right = parseline();
            cmd = new ListCmd { Left = cmd, Right = right, Start = cmd.Start, End = Math.Max(cmd.End, right.End) };
        }
        return cmd;
    }

    private Cmd parsepipe()
    {
        Cmd cmd = parseexec();
        if (peek("|"))
        {
            gettoken();
            var right = parsepipe();
            cmd = new PipeCmd { Left = cmd, Right = right, Start = cmd.Start, End = Math.Max(cmd.End, right.End) };
        }
        return cmd;
    }

    // parseredirs: wraps cmd, whose text starts at start, in each redirection that follows.
    private Cmd parseredirs(Cmd cmd, int start)
    {
        while (peek("<>"))
        {
            int tok = gettoken();
            if (gettoken(out int q, out int eq) != 'a') throw new SyntaxException("missing file for redirection");
            string file = s[q..eq];
            cmd = tok switch
            {
                '<' => new RedirCmd { Cmd = cmd, File = file, Mode = OpenMode.ReadOnly, Fd = 0 },
                '>' => new RedirCmd { Cmd = cmd, File = file, Mode = OpenMode.WriteOnly | OpenMode.Create | OpenMode.Truncate, Fd = 1 },
                _ /* '+', >> */ => new RedirCmd { Cmd = cmd, File = file, Mode = OpenMode.WriteOnly | OpenMode.Create, Fd = 1 },
            };
            cmd.Start = start;
            cmd.End = eq;
        }
        return cmd;
    }

    private Cmd parseblock()
    {
        if (!peek("(")) throw new SyntaxException("parseblock");
        gettoken(out int start, out _);
        Cmd cmd = parseline();
        if (!peek(")")) throw new SyntaxException("syntax - missing )");
        gettoken(out _, out int end);
        // The block's text keeps its parentheses: `sh -c "(a; b)"` runs it as the block did.
        cmd.Start = start;
        cmd.End = end;
        return parseredirs(cmd, start);
    }

    private Cmd parseexec()
    {
        if (peek("(")) return parseblock();

        SkipWhite();
        int start = ps;
        var exec = new ExecCmd { Start = start, End = start };
        Cmd ret = parseredirs(exec, start);
        while (!peek("|)&;"))
        {
            int tok = gettoken(out int q, out int eq);
            if (tok == 0) break;
            if (tok != 'a') throw new SyntaxException("syntax");
            exec.Argv.Add(s[q..eq]);
            exec.End = eq;
            if (exec.Argv.Count >= MAXARGS) throw new SyntaxException("too many args");
            ret = parseredirs(ret, start);
        }
        ret.End = Math.Max(ret.End, exec.End);
        return ret;
    }
}
