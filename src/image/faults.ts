// The image service's typed faults, with Glance's messages. errors.ts writes them as webob does.
import { Conflict, Fault, Forbidden, Invalid, NotFound } from '../faults/fault.ts';

export const imageNotFound = (id: string) => new NotFound(`No image found with ID ${id}`, 'image.not_found');
export const imageExists = (id: string) =>
  new Conflict(`Image with identifier ${id} already exists!`, 'image.duplicate');
export const imageProtected = (id: string) =>
  new Forbidden(`Image ${id} is protected and cannot be deleted.`, 'image.protected');
export const badTransition = (from: string, to: string) =>
  new Conflict(
    `Image status transition from ${from} to ${to} is not allowed`,
    'image.invalid_status_transition',
  );
export const readOnly = (attr: string) =>
  new Forbidden(`Attribute '${attr}' is read-only.`, 'image.read_only');
export const reserved = (attr: string) => new Forbidden(`Attribute '${attr}' is reserved.`, 'image.reserved');
export const notAuthorized = (action: string) =>
  new Forbidden(`You are not authorized to complete ${action} action.`, 'image.forbidden');
export const badRequest = (msg: string) => new Invalid(msg, 'image.bad_request');
export const memberDuplicated = (member: string, image: string) =>
  new Conflict(`Member ${member} is duplicated for image ${image}`, 'image.member_duplicated');
export const memberNotFound = (member: string, image: string) =>
  new NotFound(`${member} not found in the member list of the image ${image}.`, 'image.member_not_found');

/** 204 No Content for a download of an image without data (Glance raises HTTPNoContent). */
export const noImageData = () => new Fault('No image data could be found', 204, 'image.no_data');
/** 413 (image_size_cap). */
export const tooLarge = (msg: string) => new Fault(msg, 413, 'image.too_large');
/** 410: the image went away while its data was uploaded. */
export const gone = (msg: string) => new Fault(msg, 410, 'image.gone');
/** 415. */
export const unsupportedMediaType = (msg: string) => new Fault(msg, 415, 'image.unsupported_media_type');
/** 416. */
export const rangeNotSatisfiable = (msg: string) => new Fault(msg, 416, 'image.range_not_satisfiable');
export const notPermittedOwner = (owner: string) =>
  new Forbidden(`You are not permitted to create images owned by '${owner}'`, 'image.forbidden_owner');
