import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { WindowCountRepository } from './window-count.repository';
import { WINDOW_COUNT_MODEL, WindowCountSchema } from './window-count.schema';

/** The `window_counts` collection and its repository. Needs the global RuntimeModule and PersistenceModule. */
@Module({
  imports: [MongooseModule.forFeature([{ name: WINDOW_COUNT_MODEL, schema: WindowCountSchema }])],
  providers: [WindowCountRepository],
  exports: [WindowCountRepository],
})
export class WindowCountsModule {}
