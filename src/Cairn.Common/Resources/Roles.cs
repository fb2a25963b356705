namespace Cairn.Common;

/// <summary>Role names and the role hierarchy (mesos.md §5.2).</summary>
public static class Roles
{
    /// <summary>The default pseudo-role: unreserved resources and frameworks without a role.</summary>
    public const string Any = "*";

    /// <summary>Returns null for a valid role name, or why it is invalid. <c>*</c> is valid (the default role).</summary>
    public static string? Validate(string role)
    {
        if (role == Any)
        {
            return null;
        }

        if (role.Length == 0)
        {
            return "role must not be empty";
        }

        if (role[0] == '/' || role[^1] == '/')
        {
            return $"role '{role}' must not start or end with '/'";
        }

        if (role[0] == '-')
        {
            return $"role '{role}' must not start with '-'";
        }

        foreach (var c in role)
        {
            if (char.IsWhiteSpace(c) || c == '\b' || char.IsControl(c))
            {
                return $"role '{role}' must not contain whitespace or control characters";
            }
        }

        foreach (var component in role.Split('/'))
        {
            if (component.Length == 0)
            {
                return $"role '{role}' must not contain '//'";
            }

            if (component is "." or ".." or "*")
            {
                return $"role '{role}' must not contain the component '{component}'";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="role"/> itself or one of its ancestors (<c>eng</c> for <c>eng/web</c>).</summary>
    public static bool IsSelfOrAncestor(string ancestor, string role) =>
        role.Length >= ancestor.Length
        && role.StartsWith(ancestor, StringComparison.Ordinal)
        && (role.Length == ancestor.Length || role[ancestor.Length] == '/');
}
