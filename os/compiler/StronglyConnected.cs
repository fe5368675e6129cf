// os/compiler: Tarjan's strongly connected components, iterative (call graphs of generated code
// can be long chains), for the trusted compiler's graph questions: which bodies lie on a call cycle
// (StackChecks) and which generic instantiations lie on a cycle of generic parameters (the gate's
// ExpandingGenerics).
namespace RedLeaf.Os.Compiler;

internal static class StronglyConnected
{
    /// <summary>The component number of every node reached from the keys of <paramref name="edges"/>; two
    /// nodes share a number exactly when each reaches the other. A target without an entry has no edges.</summary>
    public static Dictionary<T, int> Components<T>(IReadOnlyDictionary<T, List<T>> edges, IEqualityComparer<T> comparer) where T : notnull
    {
        var index = new Dictionary<T, int>(comparer);
        var low = new Dictionary<T, int>(comparer);
        var onStack = new HashSet<T>(comparer);
        var stack = new Stack<T>();
        var component = new Dictionary<T, int>(comparer);
        var none = new List<T>();
        int next = 0, components = 0;
        foreach (var root in edges.Keys)
        {
            if (index.ContainsKey(root)) continue;
            var work = new Stack<(T Node, int Edge)>();
            work.Push((root, 0));
            index[root] = low[root] = next++;
            stack.Push(root);
            onStack.Add(root);
            while (work.Count > 0)
            {
                var (v, i) = work.Pop();
                var outs = edges.GetValueOrDefault(v) ?? none;
                if (i < outs.Count)
                {
                    work.Push((v, i + 1));
                    var w = outs[i];
                    if (!index.ContainsKey(w))
                    {
                        index[w] = low[w] = next++;
                        stack.Push(w);
                        onStack.Add(w);
                        work.Push((w, 0));
                    }
                    else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                if (work.Count > 0) { var parent = work.Peek().Node; low[parent] = Math.Min(low[parent], low[v]); }
                if (low[v] != index[v]) continue;
                T x;
                do { x = stack.Pop(); onStack.Remove(x); component[x] = components; } while (!comparer.Equals(x, v));
                components++;
            }
        }
        return component;
    }
}
