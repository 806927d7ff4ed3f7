package io.isoline.xds.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Turns resources into the {@link Any}s xDS responses carry, paying for each message once rather
 * than once per stream and per send: java-control-plane's default packs every resource again for
 * every response, so with a thousand Envoys a route table of 3,000 virtual hosts would be
 * serialised a thousand times on the publishing thread. Here a message that is the same instance
 * as before (the translator reuses unchanged messages) gets the same {@code Any}, and a route table
 * or listener is written from its virtual hosts' or filter chains' own bytes, each kept per
 * instance, so a change to one virtual host serialises that one host and copies the rest.
 *
 * <p>The bytes are exactly {@link Any#pack}'s (protobuf writes fields in number order, and a
 * repeated field is its elements one after another; {@code ResourceSerializerTest} compares).
 * Entries live as long as their message (weak keys, compared by instance): nothing outlives the
 * snapshots and the translator's memo that hold the messages.
 *
 * <p>Thread-safe: streams are served from several threads.
 */
final class ResourceSerializer implements ProtoResourcesSerializer {

    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
    /**
     * The fields written by parts, looked up on first use: this class is made while the server
     * starts, and Envoy's descriptors are loaded off that path ({@code RebuildScheduler.prepare}).
     */
    private static final class Parted {
        static final FieldDescriptor VIRTUAL_HOSTS =
                RouteConfiguration.getDescriptor().findFieldByNumber(RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER);
        static final FieldDescriptor FILTER_CHAINS =
                Listener.getDescriptor().findFieldByNumber(Listener.FILTER_CHAINS_FIELD_NUMBER);
    }

    /** A single part is not worth keeping apart. */
    private static final int MIN_PARTS = 2;

    private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();
    private final Cache<Message, ByteString> parts = CacheBuilder.newBuilder().weakKeys().build();

    @Override
    public Any serialize(Message message, Resources.ApiVersion apiVersion) {
        try {
            return packed.get(message, () -> pack(message));
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not serialise a " + message.getDescriptorForType().getFullName(), e.getCause());
        }
    }

    private Any pack(Message message) {
        ByteString value;
        if (message instanceof RouteConfiguration rc && rc.getVirtualHostsCount() >= MIN_PARTS) {
            value = byParts(rc, Parted.VIRTUAL_HOSTS, rc.getVirtualHostsList());
        } else if (message instanceof Listener l && l.getFilterChainsCount() >= MIN_PARTS) {
            value = byParts(l, Parted.FILTER_CHAINS, l.getFilterChainsList());
        } else {
            value = message.toByteString();
        }
        return Any.newBuilder().setTypeUrl(TYPE_URL_PREFIX + message.getDescriptorForType().getFullName()).setValue(value).build();
    }

    /**
     * {@code message}'s bytes, with {@code field}'s elements copied from their own serialised
     * forms: the fields numbered below it, its elements, then the fields above it.
     */
    private ByteString byParts(Message message, FieldDescriptor field, List<? extends Message> elements) {
        Message.Builder below = message.toBuilder();
        Message.Builder above = message.toBuilder();
        for (FieldDescriptor fd : message.getDescriptorForType().getFields()) {
            if (fd.getNumber() >= field.getNumber()) {
                below.clearField(fd);
            }
            if (fd.getNumber() <= field.getNumber()) {
                above.clearField(fd);
            }
        }
        below.setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance());
        ByteString low = below.build().toByteString();
        ByteString high = above.build().toByteString(); // unknown fields last, as protobuf writes them
        ByteString[] each = new ByteString[elements.size()];
        long size = (long) low.size() + high.size();
        int tag = field.getNumber() << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED; // a field's key on the wire
        for (int i = 0; i < each.length; i++) {
            Message element = elements.get(i);
            try {
                each[i] = parts.get(element, element::toByteString);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not serialise a " + element.getDescriptorForType().getFullName(), e.getCause());
            }
            size += CodedOutputStream.computeUInt32SizeNoTag(tag) + CodedOutputStream.computeUInt32SizeNoTag(each[i].size()) + each[i].size();
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("a " + message.getDescriptorForType().getFullName() + " larger than 2 GiB");
        }
        byte[] bytes = new byte[(int) size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeRawBytes(low);
            for (ByteString b : each) {
                out.writeUInt32NoTag(tag);
                out.writeUInt32NoTag(b.size());
                out.writeRawBytes(b);
            }
            out.writeRawBytes(high);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array of the computed size cannot run out
        }
        return UnsafeByteOperations.unsafeWrap(bytes); // never written again
    }
}
