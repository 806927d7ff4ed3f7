package io.isoline.dag;

import java.util.List;

/**
 * The ready endpoints of one Service port ({@code namespace/service/portName}, or
 * {@code namespace/service} when the port has no name), sorted by address and port.
 */
public record EndpointGroup(String name, List<Endpoint> endpoints) {

    public EndpointGroup {
        endpoints = List.copyOf(endpoints);
    }

    /** One ready address and the port the Service's target port resolved to. */
    public record Endpoint(String address, int port) {
    }
}
