/** The master's settings: one immutable, validated {@link io.drover.master.config.MasterConfig}. */
package io.drover.master.config;
