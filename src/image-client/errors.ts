// What Nova's image client raises (nova.exception ImageNotFound, ImageNotAuthorized, …), typed.
import { Fault } from '../faults/fault.ts';

export class ImageNotFound extends Fault {
  constructor(id: string) {
    super(`Image ${id} could not be found.`, 404, 'nova.image_not_found');
  }
}

export class ImageNotAuthorized extends Fault {
  constructor(id: string) {
    super(`Not authorized for image ${id}.`, 403, 'nova.image_not_authorized');
  }
}

/** Downloaded bytes do not match the image's os_hash_value (or checksum). */
export class ImageHashMismatch extends Fault {
  constructor(id: string, algo: string, expected: string, actual: string) {
    super(
      `Image ${id} failed verification: ${algo} is ${actual}, the image service says ${expected}.`,
      500,
      'nova.image_hash_mismatch',
    );
  }
}

/** Any other non-2xx answer, or no answer at all, from the image service. */
export class ImageServiceError extends Fault {
  readonly httpStatus: number | undefined;
  constructor(message: string, httpStatus?: number) {
    super(message, httpStatus && httpStatus < 500 ? httpStatus : 503, 'nova.image_service_error');
    this.httpStatus = httpStatus;
  }
}
