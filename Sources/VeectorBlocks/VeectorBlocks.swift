/// Models decomposed into self-contained, content-addressed blocks (issue 6). Filled in by the blocks work.
public enum VeectorBlocks {}
