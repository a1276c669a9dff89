/**
 * HTTP for plugins: a bundle serves routes by registering JAX-RS resources and providers as OSGi
 * services ({@code osgi.jaxrs.resource=true}, {@code osgi.jaxrs.extension=true}, in the model of the
 * OSGi JAX-RS Whiteboard). The host serves them from one Jersey application behind the same front
 * door, security gate, problem documents and metrics as its own routes, and rebuilds that
 * application live as bundles come and go.
 */
package dev.plugboard.host.web;
