/**
 * The one place the tests (and the bench) learn where to read storm data: `../shared/data`
 * when it holds the data, else the repository's `data/`, which `npm test`'s pretest step
 * (`npm run data -- ensure-test-data`) fills from NOAA. The rule is data/src/test-data.ts's.
 */
import { noaaSampleIn, testDataDir } from "../../../data/src/test-data.ts";

/** The folder of details-YYYY.csv files the tests read; ends in a path separator. */
export const TEST_DATA_DIR = testDataDir();

/** The NOAA-format (51 columns) 2007 sample the converter tests read. */
export const NOAA_SAMPLE = noaaSampleIn(TEST_DATA_DIR);
