// kernel-ext/RedLeaf.Runner/Parameters: papermill's convention for a notebook run with parameters. The
// code cell tagged `parameters` holds the defaults; after it (or at the top, when no cell has the tag)
// goes a cell tagged `injected-parameters` assigning the run's values in C# (an earlier injected cell,
// from re-running an executed notebook, is replaced). The executed notebook records it all in
// papermill's metadata fields (see PapermillRecord).
using Microsoft.DotNet.Interactive.Documents;

namespace RedLeaf.Runner.Parameters;

public static class Parameterizer
{
    public const string ParametersTag = "parameters", InjectedTag = "injected-parameters";

    /// <summary>Inserts the injected cell into <paramref name="doc"/>; returns warnings worth a progress line
    /// (no `parameters` cell; a name the parameters cell does not declare).</summary>
    public static IReadOnlyList<string> Inject(InteractiveDocument doc, IReadOnlyList<NotebookParameter> parameters)
    {
        var warnings = new List<string>();
        for (int i = doc.Elements.Count - 1; i >= 0; i--)
            if (HasTag(doc.Elements[i], InjectedTag)) doc.Elements.RemoveAt(i);
        if (parameters.Count == 0) return warnings;
        int at = doc.Elements.ToList().FindIndex(e => HasTag(e, ParametersTag));
        if (at < 0) warnings.Add("the notebook has no cell tagged 'parameters'; the parameters go in a cell at the top");
        else
        {
            string defaults = doc.Elements[at].Contents;
            foreach (var p in parameters)
                if (!System.Text.RegularExpressions.Regex.IsMatch(defaults, $@"\b{p.Name}\b"))
                    warnings.Add($"parameter '{p.Name}' is not in the notebook's parameters cell (it is still set)");
        }
        var cell = new InteractiveDocumentElement("// Parameters\n" + string.Join("\n", parameters.Select(p => p.ToCSharp())), "csharp");
        cell.Metadata ??= new Dictionary<string, object>();
        cell.Metadata["tags"] = new object[] { InjectedTag };
        doc.Elements.Insert(at + 1, cell);
        return warnings;
    }

    public static bool HasTag(InteractiveDocumentElement e, string tag) =>
        e.Metadata is { } m && m.TryGetValue("tags", out var tags) && tags is System.Collections.IEnumerable list and not string
        && list.Cast<object?>().Any(t => t?.ToString() == tag);
}
