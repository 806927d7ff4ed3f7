package io.isoline.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A native image binds our CRD classes by reflection only for the types registered: none may be forgotten. */
class NativeImageReflectionTest {

    @Test
    void everyNestedTypeOfTheCrdClassesIsRegistered() {
        List<Class<?>> registered = Arrays.asList(NativeImageReflection.class.getAnnotation(RegisterForReflection.class).targets());
        for (Class<?> outer : List.of(io.isoline.k8s.IngressRouteSpec.class, io.isoline.k8s.HTTPProxySpec.class,
                io.isoline.k8s.HTTPProxyStatus.class, io.isoline.k8s.TLSCertificateDelegation.class)) {
            Arrays.stream(outer.getDeclaredClasses())
                    .filter(c -> Modifier.isPublic(c.getModifiers()) && !c.getSimpleName().startsWith("Lenient"))
                    .forEach(c -> assertThat(registered).as(c.getName()).contains(c));
        }
    }
}
