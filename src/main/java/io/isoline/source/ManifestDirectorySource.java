package io.isoline.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Standalone mode's source: a directory of manifests, polled for changes (paths, sizes and
 * modification times, which also catches the symlink swaps of a mounted ConfigMap). A change is
 * loaded once the files have stayed unchanged for the holdoff, so a burst of writes gives one
 * reload, which parses only the files whose bytes changed (the others keep their objects, so the
 * rebuild is an incremental one). A file that is not valid YAML keeps the last good state and is logged with the reason;
 * an object with wrongly typed fields is skipped with a warning.
 *
 * <p>Thread-safe: all polling and loading happens on one private scheduler thread, which is also the
 * thread {@code onLoad} is called on.
 */
public final class ManifestDirectorySource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ManifestDirectorySource.class);

    private final Path directory;
    private final Duration holdoff;
    private final Duration pollInterval;
    private final Consumer<ManifestLoader.Loaded> onLoad;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "isoline-manifests");
        t.setDaemon(true);
        return t;
    });
    // Only touched on the scheduler thread (and in start(), before scheduling).
    private final Runnable onFailedReload;
    /** Files parsed by the last good load: an unchanged file is not parsed again, and keeps its objects. */
    private final ManifestLoader.Kept kept = new ManifestLoader.Kept();
    private String seen = "";
    private String loadedFingerprint = "";
    private long changedAtNanos;

    public ManifestDirectorySource(Path directory, Duration pollInterval, Duration holdoff,
            Consumer<ManifestLoader.Loaded> onLoad) {
        this(directory, pollInterval, holdoff, onLoad, () -> { });
    }

    /** @param onFailedReload called (on the poll thread) each time a changed directory cannot be loaded */
    public ManifestDirectorySource(Path directory, Duration pollInterval, Duration holdoff,
            Consumer<ManifestLoader.Loaded> onLoad, Runnable onFailedReload) {
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.holdoff = holdoff;
        this.onLoad = onLoad;
        this.onFailedReload = onFailedReload;
    }

    /** Loads the directory once (on the calling thread), then polls it in the background. */
    public void start() {
        seen = fingerprint();
        reload(seen);
        long millis = Math.max(10, pollInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            String now = fingerprint();
            if (!now.equals(seen)) {
                seen = now;
                changedAtNanos = System.nanoTime();
            } else if (!now.equals(loadedFingerprint) && System.nanoTime() - changedAtNanos >= holdoff.toNanos()) {
                reload(now);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "watching %s failed; will retry", directory);
        }
    }

    private void reload(String fingerprint) {
        loadedFingerprint = fingerprint;
        try {
            ManifestLoader.Loaded loaded = ManifestLoader.load(List.of(directory), true, kept);
            loaded.warnings().forEach(w -> LOG.warn(w));
            onLoad.accept(loaded);
        } catch (ManifestException e) {
            LOG.errorf("not reloading %s, keeping the last good configuration: %s", directory, e.getMessage());
            onFailedReload.run();
        }
    }

    /** What identifies the directory's current content without reading it. */
    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path p : ManifestLoader.files(List.of(directory))) {
                sb.append(p).append('|').append(Files.size(p)).append('|')
                        .append(Files.getLastModifiedTime(p).toInstant()).append('\n');
            }
        } catch (ManifestException | IOException e) {
            sb.append("unreadable: ").append(e.getMessage());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
