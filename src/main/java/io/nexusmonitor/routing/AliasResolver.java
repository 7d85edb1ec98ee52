package io.nexusmonitor.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows {@code [routing.aliases]}: {@code gpt-4 -> llama3 -> llama3:70b}. The config loader
 * rejects loops; should one slip through (a config built in code), resolution stops at the first
 * repeated name instead of spinning.
 */
public final class AliasResolver {
    private final Map<String, String> aliases;

    public AliasResolver(Map<String, String> aliases) {
        this.aliases = Map.copyOf(aliases);
    }

    /** The model a requested name finally means; the name itself when it is no alias. */
    public String resolve(String model) {
        List<String> chain = chain(model);
        return chain.get(chain.size() - 1);
    }

    /** Every name on the way, starting with the requested one: {@code [gpt-4, llama3, llama3:70b]}. */
    public List<String> chain(String model) {
        Set<String> seen = new LinkedHashSet<>();
        String current = model;
        while (current != null && seen.add(current)) {
            current = aliases.get(current);
        }
        return new ArrayList<>(seen);
    }

    public boolean isAlias(String model) {
        return aliases.containsKey(model);
    }
}
