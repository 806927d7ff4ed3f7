package io.isoline.xds.validate;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.TimestampProto;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * Message types made at test time, shaped as Envoy's are and carrying the {@code validate.rules} a
 * test needs: Envoy's own API uses some rule families (map rules, unique items, required
 * timestamps...) on no message Isoline produces, yet the guard must apply them the day one does.
 * Build a file with {@link #file()}, add messages, then {@link #build()}.
 */
final class RuleSchemas {

    private static final String PACKAGE = "isoline.test";
    private final FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
            .setName("isoline/test/rules.proto").setPackage(PACKAGE).setSyntax("proto3")
            .addDependency(DurationProto.getDescriptor().getName())
            .addDependency(TimestampProto.getDescriptor().getName())
            .addDependency(AnyProto.getDescriptor().getName());

    static RuleSchemas file() {
        return new RuleSchemas();
    }

    /** A message type; its fields are added with {@link Type#field}. */
    Msg message(String name) {
        DescriptorProto.Builder m = file.addMessageTypeBuilder().setName(name);
        return new Msg(m);
    }

    FileDescriptor build() {
        try {
            return FileDescriptor.buildFrom(file.build(), new FileDescriptor[] {DurationProto.getDescriptor(),
                    TimestampProto.getDescriptor(), AnyProto.getDescriptor()});
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Descriptor type(FileDescriptor f, String name) {
        return f.findMessageTypeByName(name);
    }

    /** One message being declared. */
    static final class Msg {
        private final DescriptorProto.Builder m;

        private Msg(DescriptorProto.Builder m) {
            this.m = m;
        }

        Msg scalar(String name, Type type, FieldRules rules) {
            return add(name, type, null, Label.LABEL_OPTIONAL, rules, -1);
        }

        /** A field holding a message: {@code type} a message of this file or a {@code .google.protobuf} one. */
        Msg message(String name, String type, FieldRules rules) {
            return add(name, Type.TYPE_MESSAGE, typeName(type), Label.LABEL_OPTIONAL, rules, -1);
        }

        Msg repeated(String name, Type type, String messageType, FieldRules rules) {
            return add(name, type, messageType == null ? null : typeName(messageType), Label.LABEL_REPEATED, rules, -1);
        }

        /** {@code map<string, value>}: a value of {@code valueType}, or of message {@code messageType}. */
        Msg map(String name, Type valueType, String messageType, FieldRules rules) {
            String entry = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Entry";
            DescriptorProto.Builder e = m.addNestedTypeBuilder().setName(entry)
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true));
            e.addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1).setType(Type.TYPE_STRING)
                    .setLabel(Label.LABEL_OPTIONAL));
            FieldDescriptorProto.Builder value = FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
                    .setType(valueType).setLabel(Label.LABEL_OPTIONAL);
            if (messageType != null) {
                value.setTypeName(typeName(messageType));
            }
            e.addField(value);
            return add(name, Type.TYPE_MESSAGE, "." + PACKAGE + "." + m.getName() + "." + entry, Label.LABEL_REPEATED, rules, -1);
        }

        /** A oneof of string fields; {@code required} as {@code (validate.required)}. */
        Msg oneof(String name, boolean required, String... members) {
            int index = m.getOneofDeclCount();
            m.addOneofDecl(OneofDescriptorProto.newBuilder().setName(name)
                    .setOptions(OneofOptions.newBuilder().setExtension(Validate.required, required)));
            for (String member : members) {
                add(member, Type.TYPE_STRING, null, Label.LABEL_OPTIONAL, null, index);
            }
            return this;
        }

        Msg disabled() {
            m.setOptions(MessageOptions.newBuilder().setExtension(Validate.disabled, true));
            return this;
        }

        private static String typeName(String type) {
            return type.startsWith(".") ? type : "." + PACKAGE + "." + type;
        }

        private Msg add(String name, Type type, String typeName, Label label, FieldRules rules, int oneof) {
            FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name)
                    .setNumber(m.getFieldCount() + 1).setType(type).setLabel(label);
            if (typeName != null) {
                f.setTypeName(typeName);
            }
            if (rules != null) {
                f.setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules));
            }
            if (oneof >= 0) {
                f.setOneofIndex(oneof);
            }
            m.addField(f);
            return this;
        }
    }
}
