package io.isoline.status;

import io.isoline.dag.ObjectStatus;
import io.isoline.text.LogText;
import io.isoline.xds.translate.TranslationResult;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Standalone mode's status write-back: there is no API server to hold statuses, so each object
 * whose status is not {@code valid} is logged once when it becomes so, and once when it is valid
 * again. Descriptions are escaped (no control characters reach the log) and bounded. Called on the
 * rebuild thread only; not thread-safe.
 */
public final class StatusLog implements Consumer<TranslationResult> {

    private static final Logger LOG = Logger.getLogger(StatusLog.class);
    private static final int MAX_DESCRIPTION = 500;
    private Map<String, String> last = Map.of();

    @Override
    public void accept(TranslationResult result) {
        Map<String, String> now = new HashMap<>();
        for (ObjectStatus s : result.statuses()) {
            String key = s.kind() + " " + s.namespace() + "/" + s.name();
            String status = s.currentStatus() + ": " + escape(s.description());
            now.put(key, status);
            boolean problem = !ObjectStatus.VALID.equals(s.currentStatus());
            String before = last.get(key);
            if (problem && !status.equals(before)) {
                LOG.warnf("%s is %s", key, status);
            } else if (!problem && before != null && !before.startsWith(ObjectStatus.VALID + ":")) {
                LOG.infof("%s is valid again", key);
            }
        }
        last = now;
    }

    static String escape(String s) {
        return LogText.escape(s, MAX_DESCRIPTION);
    }
}
