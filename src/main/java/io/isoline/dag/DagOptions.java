package io.isoline.dag;

/**
 * Settings that change what the core builds; {@code serve} and {@code translate} take the same ones.
 *
 * @param ingressClassName  null: serve objects without a class (and Contour's default class);
 *                          otherwise only objects of this class
 * @param minimumTlsVersion used where an object asks for none, or for one we do not support
 */
public record DagOptions(String ingressClassName, TlsVersion minimumTlsVersion) {

    public static final DagOptions DEFAULT = new DagOptions(null, TlsVersion.TLS_1_2);
}
