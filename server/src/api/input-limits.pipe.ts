import { BadRequestException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { valueProblem } from './input-limits.js';

/**
 * Refuses (400, naming the parameter) route parameters, query strings and JSON bodies whose
 * strings hold a NUL byte or are over their length limit, before a handler sees them.
 */
export class InputLimitsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    // A `*key` wildcard parameter arrives as a list of path segments: one key.
    const checked = Array.isArray(value) && metadata.type === 'param' ? value.join('/') : value;
    const problem = valueProblem(metadata.data ?? metadata.type, checked);
    if (problem) throw new BadRequestException(problem);
    return value;
  }
}
