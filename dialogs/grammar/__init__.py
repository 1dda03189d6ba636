"""Understanding what a seller wrote: pure, no botbuilder, no I/O."""
