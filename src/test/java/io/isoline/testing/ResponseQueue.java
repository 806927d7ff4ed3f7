package io.isoline.testing;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a client stream receives, queued for the test thread; the stream's end fails {@link #next}. */
final class ResponseQueue<T> implements StreamObserver<T> {

    private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
        responses.add(t);
    }

    @Override
    public void onCompleted() {
        responses.add(new IllegalStateException("stream completed"));
    }

    /** The next response, or null if none arrives within {@code timeout}. */
    @SuppressWarnings("unchecked")
    T next(Duration timeout) throws InterruptedException {
        Object o = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (o instanceof Throwable t) {
            throw new AssertionError("xDS stream failed", t);
        }
        return (T) o;
    }
}
