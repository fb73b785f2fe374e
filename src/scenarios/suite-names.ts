// How a suite is named on the command line and in run files, where more than one parser reads
// it (`run --suite`, the run file's suites, `scenarios --suite`): kept here, with no imports,
// so that reading a name loads nothing else.

/** aob:FILE: the aob suite cut to the items of one AssetOpsBench scenario file. */
export const AOB_FILE_SUITE = /^aob:(.+)$/;
