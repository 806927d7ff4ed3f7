package io.isoline.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua;
import io.envoyproxy.envoy.extensions.filters.http.lua.v3.LuaPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.isoline.dag.RoutePolicy.CookieRewrite;
import java.util.List;

/**
 * HTTPProxy's cookie rewrites in Envoy: every connection manager has a Lua filter holding one fixed
 * script, which runs only on routes that name it, and reads that route's rules from the route's
 * metadata: data, never code. A service's own rules (on a route with several) are a per-cluster
 * script whose only variable part is a table of escaped string literals.
 */
final class CookieRewrites {

    static final String FILTER = "envoy.filters.http.lua";
    static final String SCRIPT_NAME = "isoline.cookie-rewrite";

    /** Rewrites the Set-Cookie headers whose cookie {@code rules} name; all other headers are kept. */
    private static final String FUNCTIONS = """
            -- Isoline: HTTPProxy cookieRewritePolicies. Rules: a list of {name, path, domain, secure, sameSite}.
            local function rewrite(cookie, rules)
              local name = string.match(cookie, "^%s*([^=;%s]+)%s*=")
              local rule = nil
              for _, r in ipairs(rules) do
                if r.name == name then rule = r end
              end
              if rule == nil then return cookie end
              local parts = {}
              local first = true
              for part in string.gmatch(cookie, "[^;]+") do
                local trimmed = string.match(part, "^%s*(.-)%s*$")
                if first then
                  parts[#parts + 1] = trimmed
                  first = false
                else
                  local attribute = string.lower(string.match(trimmed, "^([^=]*)"))
                  local replaced = (attribute == "path" and rule.path ~= nil) or (attribute == "domain" and rule.domain ~= nil)
                    or (attribute == "secure" and rule.secure ~= nil) or (attribute == "samesite" and rule.sameSite ~= nil)
                  if not replaced then parts[#parts + 1] = trimmed end
                end
              end
              if rule.path ~= nil then parts[#parts + 1] = "Path=" .. rule.path end
              if rule.domain ~= nil then parts[#parts + 1] = "Domain=" .. rule.domain end
              if rule.secure == true then parts[#parts + 1] = "Secure" end
              if rule.sameSite ~= nil then parts[#parts + 1] = "SameSite=" .. rule.sameSite end
              return table.concat(parts, "; ")
            end

            local function apply(handle, rules)
              local headers = handle:headers()
              local count = headers:getNumValues("set-cookie")
              if count == 0 then return end
              local cookies = {}
              for i = 0, count - 1 do
                cookies[#cookies + 1] = headers:getAtIndex("set-cookie", i)
              end
              headers:remove("set-cookie")
              for _, cookie in ipairs(cookies) do
                headers:add("set-cookie", rewrite(cookie, rules))
              end
            end
            """;

    /** The script routes name: the rules are the route's metadata. */
    static final String SCRIPT = FUNCTIONS + """
            function envoy_on_response(handle)
              local rules = handle:metadata():get("cookieRewrites")
              if rules ~= nil then apply(handle, rules) end
            end
            """;

    private CookieRewrites() {
    }

    /** The connection manager's Lua filter: the script, run on no route unless a route names it (built once: it never changes). */
    static final HttpFilter HTTP_FILTER = HttpFilter.newBuilder().setName(FILTER).setTypedConfig(Any.pack(Lua.newBuilder()
            .putSourceCodes(SCRIPT_NAME, DataSource.newBuilder().setInlineString(SCRIPT).build()).build())).build();

    /** Runs the script on this route with {@code rules}. */
    static void apply(io.envoyproxy.envoy.config.route.v3.Route.Builder route, List<CookieRewrite> rules) {
        ListValue.Builder list = ListValue.newBuilder();
        for (CookieRewrite c : rules) {
            Struct.Builder rule = Struct.newBuilder().putFields("name", string(c.name()));
            if (c.path() != null) {
                rule.putFields("path", string(c.path()));
            }
            if (c.domain() != null) {
                rule.putFields("domain", string(c.domain()));
            }
            if (c.secure() != null) {
                rule.putFields("secure", Value.newBuilder().setBoolValue(c.secure()).build());
            }
            if (c.sameSite() != null) {
                rule.putFields("sameSite", string(c.sameSite()));
            }
            list.addValues(Value.newBuilder().setStructValue(rule));
        }
        route.setMetadata(Metadata.newBuilder().putFilterMetadata(FILTER,
                Struct.newBuilder().putFields("cookieRewrites", Value.newBuilder().setListValue(list).build()).build()));
        // Optional: a proxyless gRPC client, which shares ingress_http and has no Lua, ignores it
        // instead of rejecting every route of the configuration (the same for forShare).
        route.putTypedPerFilterConfig(FILTER, Any.pack(io.envoyproxy.envoy.config.route.v3.FilterConfig.newBuilder()
                .setConfig(Any.pack(LuaPerRoute.newBuilder().setName(SCRIPT_NAME).build())).setIsOptional(true).build()));
    }

    /**
     * A service's share with rules of its own (the route's and the service's): Envoy's per-route
     * Lua config is per cluster here, and cluster entries have no metadata, so the rules are part of
     * the script, every byte of every value a decimal escape, so that no value can end the string.
     */
    static Any forShare(List<CookieRewrite> rules) {
        StringBuilder table = new StringBuilder("local RULES = {");
        for (CookieRewrite c : rules) {
            table.append("{name = ").append(lua(c.name()));
            if (c.path() != null) {
                table.append(", path = ").append(lua(c.path()));
            }
            if (c.domain() != null) {
                table.append(", domain = ").append(lua(c.domain()));
            }
            if (c.secure() != null) {
                table.append(", secure = ").append(c.secure());
            }
            if (c.sameSite() != null) {
                table.append(", sameSite = ").append(lua(c.sameSite()));
            }
            table.append("}, ");
        }
        String script = FUNCTIONS + table.append("}\nfunction envoy_on_response(handle) apply(handle, RULES) end\n");
        return Any.pack(io.envoyproxy.envoy.config.route.v3.FilterConfig.newBuilder()
                .setConfig(Any.pack(LuaPerRoute.newBuilder().setSourceCode(DataSource.newBuilder().setInlineString(script)).build()))
                .setIsOptional(true).build());
    }

    /** A Lua string literal of {@code s}: each UTF-8 byte as {@code \ddd}. */
    static String lua(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            out.append('\\').append(String.format("%03d", b & 0xff));
        }
        return out.append('"').toString();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
