package org.latentlab.ui;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Records the garbage-collection pauses of this JVM between start and stop, so that a GUI benchmark
 * can tell a long frame caused by the collector from one caused by the application.
 */
public final class GcPauses {
    private final List<Long> millis = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        // concurrent cycles (ZGC, Shenandoah, G1's concurrent mark) do not stop the application
        if (info.getGcName().contains("Concurrent") || info.getGcName().contains("Cycles")) return;
        synchronized (millis) {
            millis.add(info.getGcInfo().getDuration());
        }
    };

    public void start() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    public void stop() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
    }

    public int count() {
        synchronized (millis) {
            return millis.size();
        }
    }

    public long maxMillis() {
        synchronized (millis) {
            return millis.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    public long totalMillis() {
        synchronized (millis) {
            return millis.stream().mapToLong(Long::longValue).sum();
        }
    }
}
