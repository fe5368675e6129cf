// tests/os/compiler/Gate: ordinary student code the IL gate must let through, compiled as a domain is: LINQ,
// lambdas, records, pattern matching, iterators, interpolation, collections and collection
// expressions, exceptions thrown and caught, tuples, generics, delegates and events, spans, readonly
// statics of the base library, everyday classes, and the ABI itself.
using Xunit;
using static RedLeaf.Tests.Trusted.IlGateAcceptTests;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class IlGateStudentCodeTests
{
    [Fact]
    public void LinqAndLambdasPass() => Passes("""
        public static class Grades
        {
            public static double Average(IEnumerable<int> scores, int floor)
            {
                Func<int, bool> keep = s => s >= floor;
                var kept = scores.Where(keep).Select(s => s * 1.0).OrderByDescending(s => s).Take(10).ToList();
                var groups = kept.GroupBy(s => (int)s / 10).ToDictionary(g => g.Key, g => g.Count());
                var best = (from s in kept where s > 50 orderby s select s).FirstOrDefault();
                return kept.Count == 0 ? 0 : kept.Average() + groups.Count + best + kept.Aggregate(0.0, (a, b) => Math.Max(a, b));
            }
        }
        """);

    [Fact]
    public void RecordsPatternsAndSwitchExpressionsPass() => Passes("""
        public abstract record Shape;
        public sealed record Circle(double R) : Shape;
        public sealed record Rect(double W, double H) : Shape;
        public readonly record struct Point(int X, int Y);
        public static class Geometry
        {
            public static double Area(Shape s) => s switch
            {
                Circle { R: <= 0 } => 0,
                Circle c => Math.PI * c.R * c.R,
                Rect(var w, var h) when w == h => w * w,
                Rect r => r.W * r.H,
                _ => throw new ArgumentException($"unknown shape {s}"),
            };
            public static string Describe(object o) => o switch
            {
                int i and > 100 => "big",
                int => "small",
                string { Length: 0 } => "empty",
                Point (0, 0) => "origin",
                Point p => p.ToString(),
                null => "nothing",
                _ => o.ToString() ?? "",
            };
            public static Shape Grow(Rect r) => r with { W = r.W * 2 };
            public static bool Same(Point a, Point b) => a == b && a.Equals(b) && a.GetHashCode() == b.GetHashCode();
        }
        """);

    [Fact]
    public void IteratorsAndStringInterpolationPass() => Passes("""
        using System.Text;
        public static class Text
        {
            public static IEnumerable<int> Fib(int n)
            {
                int a = 0, b = 1;
                for (int i = 0; i < n; i++) { yield return a; (a, b) = (b, a + b); }
            }
            public static IEnumerable<string> Lines(IEnumerable<string> words)
            {
                try { foreach (var w in words) if (w.Length > 0) yield return w.Trim().ToUpperInvariant(); }
                finally { }
            }
            public static string Report(string name, double score, DateTime when)
            {
                var sb = new StringBuilder();
                sb.Append($"{name,-10}|{score:F2}|{when:yyyy-MM-dd}");
                sb.AppendLine().AppendJoin(", ", Fib(8));
                return $"{sb} ({name.Length} chars, {string.Join("/", Lines(new[] { " a ", "b" }))})" + string.Concat("x", "y", "z", "w", name);
            }
        }
        """);

    [Fact]
    public void CollectionsAndCollectionExpressionsPass() => Passes("""
        public static class Bag
        {
            public static int Run(int n)
            {
                List<int> list = [1, 2, 3, n];
                int[] array = [.. list, 5, 6];
                Span<int> span = [n, n + 1, n + 2];
                ReadOnlySpan<byte> bytes = [1, 2, 3];
                ReadOnlySpan<int> consts = [10, 20, 30, 40];
                IEnumerable<int> lazy = [7, 8];
                IReadOnlyList<int> single = [n];
                var dict = new Dictionary<string, List<int>> { ["a"] = [1], ["b"] = new() };
                var set = new HashSet<int>(array); var sorted = new SortedDictionary<int, string> { [2] = "two" };
                var queue = new Queue<int>(list); var stack = new Stack<int>(); stack.Push(queue.Dequeue());
                var linked = new LinkedList<int>(); linked.AddLast(4);
                var pq = new PriorityQueue<string, int>(); pq.Enqueue("x", 1);
                foreach (var (key, value) in dict) set.Add(key.Length + value.Count);
                list.Sort((a, b) => b.CompareTo(a)); Array.Sort(array); Array.Reverse(array);
                int total = span[1] + bytes[2] + consts[3] + lazy.Sum() + single[0] + array[^1] + array[1..3].Length;
                return total + set.Count + sorted.Count + stack.Peek() + linked.First!.Value + pq.Count + "utf8"u8.Length;
            }
        }
        """);

    [Fact]
    public void ExceptionsThrownAndCaughtPass() => Passes("""
        public sealed class NotEnoughException(string message) : InvalidOperationException(message);
        public static class Bank
        {
            public static int Withdraw(int balance, int amount)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(amount);
                try
                {
                    if (amount > balance) throw new NotEnoughException($"need {amount - balance} more");
                    return checked(balance - amount);
                }
                catch (NotEnoughException e) when (e.Message.StartsWith("need"))
                {
                    return -1;
                }
                catch (OverflowException) { throw; }
                catch (Exception e) { throw new InvalidOperationException("wrapped", e); }
                finally { balance = 0; }
            }
            public static string Safe(Func<int> f) { try { return f().ToString(); } catch (DivideByZeroException e) { return e.Message; } }
        }
        """);

    [Fact]
    public void TuplesGenericsDelegatesAndEventsPass() => Passes("""
        using System.Numerics;
        public delegate int Op(int a, int b);
        public sealed class Counter
        {
            public event Action<int>? Changed;
            private int _n;
            public int this[int i] => _n + i;
            public void Bump() { _n++; Changed?.Invoke(_n); }
        }
        public static class Maths
        {
            public static T Sum<T>(IEnumerable<T> xs) where T : INumber<T> { T t = T.Zero; foreach (var x in xs) t += x; return t; }
            public static T Make<T>() where T : new() => new T();
            public static (int Min, int Max) Range(int[] a) => (a.Min(), a.Max());
            public static int Use()
            {
                var (lo, hi) = Range(new[] { 3, 1, 2 });
                Op add = (a, b) => a + b; Op twice = add; twice += add;
                var c = new Counter(); int seen = 0; c.Changed += v => seen = v; c.Bump();
                var anon = new { Lo = lo, Hi = hi };
                int? maybe = seen > 0 ? seen : null;
                var t = Tuple.Create(1, "one");
                return Make<List<int>>().Count + Sum(new[] { 1, 2 }) + (int)Sum(new[] { 1.5, 2.5 }) + add(lo, hi) + c[1] + anon.Hi + (maybe ?? 0) + t.Item1 + HashCode.Combine(lo, hi) % 2;
            }
        }
        """);

    [Fact]
    public void SpansStructsAndStaticStatePass() => Passes("""
        public struct Vec { public double X, Y; public readonly double Length => Math.Sqrt(X * X + Y * Y); }
        public ref struct Cursor(Span<char> text) { private Span<char> _t = text; public char Next() { var c = _t[0]; _t = _t[1..]; return c; } }
        public static class Store
        {
            private static readonly Dictionary<string, int> Cache = new();
            private static int _hits;
            public static int Get(string k, in Vec v, ref int total)
            {
                if (Cache.TryGetValue(k, out var n)) { _hits++; return n; }
                Span<char> buf = k.ToCharArray(); var cur = new Cursor(buf);
                total += cur.Next() + (int)v.Length + System.Threading.Interlocked.Increment(ref _hits);
                return Cache[k] = k.AsSpan().IndexOf('x') + int.Parse("42") + (int)Math.Round(double.Parse("1.5"));
            }
        }
        """);

    [Fact]
    public void ReadonlyStaticsOfTheBaseLibraryCanBeReadInPlace() => Passes("""
        public static class Clock
        {
            public static double Span() => DateTime.MinValue.Year + TimeSpan.Zero.TotalSeconds + DateTime.MaxValue.AddDays(-1).Day;
            public static string Text() => Guid.Empty.ToString() + decimal.One + TimeSpan.MaxValue.CompareTo(TimeSpan.Zero);
        }
        """);

    [Fact]
    public void EverydayClassesAndTextProcessingPass() => Passes(""""
        using System.Text;
        [Flags] public enum Access { None = 0, Read = 1, Write = 2 }
        public interface IAnimal { string Name { get; } string Speak() => $"{Name} makes a sound"; }
        public abstract class Animal(string name) : IAnimal, IComparable<Animal>
        {
            public string Name { get; } = name;
            public required int Age { get; init; }
            public abstract string Kind { get; }
            public virtual string Speak() => $"{Name} the {Kind}";
            public int CompareTo(Animal? other) => Age.CompareTo(other?.Age ?? 0);
            public static bool operator >(Animal a, Animal b) => a.Age > b.Age;
            public static bool operator <(Animal a, Animal b) => a.Age < b.Age;
        }
        public sealed class Dog(string name) : Animal(name) { public override string Kind => "dog"; }
        public sealed class Zoo : IEnumerable<Animal>
        {
            private readonly List<Animal> _animals = new();
            public void Add(Animal a) => _animals.Add(a ?? throw new ArgumentNullException(nameof(a)));
            public IEnumerator<Animal> GetEnumerator() { foreach (var a in _animals) yield return a; }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
        public static class Words
        {
            public static string Shout(this string s) => s.ToUpperInvariant() + "!";
            public static int Score(string text, Access access)
            {
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                foreach (var w in words) counts[w] = counts.GetValueOrDefault(w) + 1;
                int letters = text.Count(char.IsLetter);
                string kind = words.Length switch { 0 => "none", 1 => "one", _ => "many" };
                switch (kind) { case "none": return 0; case "one": letters++; break; case "many": case "lots": case "plenty": case "heaps": case "tons": case "loads": case "piles": letters += 2; break; }
                int[] numbers = [.. Enumerable.Range(1, 10).Where(n => n % 2 == 0)];
                if (numbers is [var first, .., var last]) letters += first + last;
                var zoo = new Zoo { new Dog("rex") { Age = 3 }, new Dog("fido") { Age = 5 } };
                var oldest = zoo.MaxBy(a => a.Age)!;
                var sb = new StringBuilder().Append(oldest.Speak()).Insert(0, '[').Append(']');
                int.TryParse("12", out int twelve);
                var pairs = words.Zip(numbers).Select(p => $"{p.First}:{p.Second,3:D2}").ToList();
                var lookup = words.ToLookup(w => w.Length);
                var chunks = numbers.Chunk(3).Select(c => c.Sum()).ToArray();
                (int a, int b) = (1, 2); (a, b) = (b, a);
                bool same = (a, b) == (2, 1);
                Comparison<int> desc = static (x, y) => y.CompareTo(x);
                Array.Sort(numbers, desc);
                string raw = $$"""{"score": {{letters}}}""";
                return letters + counts.Count + twelve + pairs.Count + lookup.Count + chunks.Length + (same ? 1 : 0) + sb.Length + raw.Length
                    + (access.HasFlag(Access.Read) ? 1 : 0) + Enum.Parse<Access>("Write").ToString().Length + "abc".Shout().Length
                    + (oldest > zoo.First() ? 1 : 0) + Math.Clamp(letters, 0, 100) + text.Replace("a", "b").IndexOf('b') + text.PadLeft(3).Length;
            }
        }
        """");

    [Fact]
    public void DomainUsingTheAbiPasses() => Passes("""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Workloads;
        public static class Entry
        {
            [DomainEntry] public static IBench Start() => new Echo();
        }
        internal sealed class Echo : IBench
        {
            private readonly List<RRef<Payload64>> _kept = [];
            public RpcResult Null() => RpcResult.Ok;
            public RpcResult<long> Arg(long x) { var a = RRefArray<long>.New(4); a[1] = x; var d = RRefDeque<long>.New(2); d.TryPushBack(x); return a[1] + a.Length + d.Count; }
            public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) { var v = r.Value; v[3] = v[0] + 1; r.Value = v; return r; }
            public RpcResult<long> Borrow(in RRef<Payload64> r) { long s = 0; var v = r.Value; for (int i = 0; i < 8; i++) s += v[i]; return s; }
        }
        """);
}
