/** Training the bundled models with ND4J SameDiff and writing them as ONNX. */
package org.axdse.kernel.model.train;
